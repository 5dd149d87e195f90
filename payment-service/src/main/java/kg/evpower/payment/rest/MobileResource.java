package kg.evpower.payment.rest;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.Produces;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;
import kg.evpower.payment.client.OdengiClient;
import kg.evpower.payment.config.PaymentConfig;
import kg.evpower.payment.domain.Money;
import kg.evpower.payment.domain.TopupDtos.Movement;
import kg.evpower.payment.domain.TopupDtos.Topup;
import kg.evpower.payment.client.ObankClient;
import kg.evpower.payment.domain.Card;
import kg.evpower.payment.service.CriticalRateLimiter;
import kg.evpower.payment.service.ObankService;
import kg.evpower.payment.service.TopupService;
import kg.evpower.payment.service.WalletService;

/**
 * The mobile payment API (seed-contracts A3.2, A3.3, A3.5): EvPower's paths and snake_case fields, amounts in som.
 * Every call needs the end-user token; invoices and wallets are only ever shown to their owner.
 */
@Path("/api/v1")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
public class MobileResource {

    private final MobileUser user;
    private final TopupService topups;
    private final WalletService wallets;
    private final PaymentConfig config;
    private final CriticalRateLimiter limiter;
    private final ObankService obank;
    private final ObjectMapper mapper;

    MobileResource(MobileUser user, TopupService topups, WalletService wallets, PaymentConfig config,
            CriticalRateLimiter limiter, ObankService obank, ObjectMapper mapper) {
        this.user = user;
        this.topups = topups;
        this.wallets = wallets;
        this.config = config;
        this.limiter = limiter;
        this.obank = obank;
        this.mapper = mapper;
    }

    @POST
    @Path("/balance/topup-qr")
    public Uni<Map<String, Object>> topupQr(JsonNode body) {
        String clientId = user.clientId();
        return limiter.check(clientId).chain(() -> createQr(clientId, body));
    }

    private Uni<Map<String, Object>> createQr(String clientId, JsonNode body) {
        long amount = amountOf(body);
        String description = descriptionOf(body);
        return topups.createQr(clientId, amount, description)
                .onFailure(f -> !(f instanceof MobileException)).transform(MobileResource::providerFailure)
                .chain(topup -> wallets.wallet(clientId).map(wallet -> {
                    Map<String, Object> answer = new LinkedHashMap<>();
                    answer.put("success", true);
                    answer.put("invoice_id", topup.invoiceId());
                    answer.put("order_id", topup.orderId());
                    answer.put("qr_code", topup.qrCode());
                    answer.put("qr_code_url", topup.qrCodeUrl());
                    answer.put("app_link", topup.appLink());
                    answer.put("amount", Money.toSom(topup.requestedAmount()));
                    answer.put("client_id", clientId);
                    answer.put("current_balance", Money.toSom(wallet.available()));
                    answer.put("qr_expires_at", topup.qrExpiresAt());
                    answer.put("invoice_expires_at", topup.invoiceExpiresAt());
                    answer.put("qr_lifetime_seconds", config.odengi().qrLifetime().toSeconds());
                    answer.put("invoice_lifetime_seconds", config.odengi().invoiceLifetime().toSeconds());
                    return answer;
                }));
    }

    static String descriptionOf(JsonNode body) {
        if (body != null && body.hasNonNull("description")) {
            if (!body.get("description").isTextual() || body.get("description").asText().length() > 500) {
                throw new MobileException(400, "validation_error", "description must be text of at most 500 characters.");
            }
            return body.get("description").asText();
        }
        return null;
    }

    /** Som > 0, at most {@code max-topup-som}, at most two decimals; JSON number or numeric string, never a double. */
    long amountOf(JsonNode body) {
        JsonNode node = body == null ? null : body.get("amount");
        BigDecimal som;
        try {
            if (node == null || node.isNull()) {
                throw new MobileException(400, "validation_error", "amount is required.");
            }
            som = node.isNumber() ? node.decimalValue() : node.isTextual() ? new BigDecimal(node.asText().trim()) : null;
        } catch (NumberFormatException e) {
            som = null;
        }
        if (som == null) {
            throw new MobileException(400, "validation_error", "amount must be a number of som.");
        }
        if (som.signum() <= 0 || som.compareTo(BigDecimal.valueOf(config.maxTopupSom())) > 0) {
            throw new MobileException(400, "validation_error",
                    "amount must be greater than 0 and at most " + config.maxTopupSom() + " som.");
        }
        try {
            return Money.toTyiyn(som);
        } catch (ArithmeticException e) {
            throw new MobileException(400, "validation_error", "amount has more than two decimals.");
        }
    }

    static Throwable providerFailure(Throwable f) {
        if (f instanceof OdengiClient.OdengiRejected) {
            return new MobileException(502, "payment_provider_error", "The payment provider refused the request.");
        }
        return new MobileException(503, "payment_provider_error", "The payment provider is not reachable; try again later.");
    }

    private Uni<Topup> owned(String invoiceId) {
        String clientId = user.clientId();
        return topups.find(invoiceId).map(topup -> {
            // Another client's invoice is reported exactly like a missing one.
            if (topup == null || !topup.clientId().equals(clientId)) {
                throw new MobileException(404, "payment_not_found", "Payment not found.");
            }
            return topup;
        });
    }

    /** processing=0, approved=1, canceled=2 (also expired and failed), as the app expects. */
    static int numericStatus(String status) {
        return switch (status) {
            case "PROCESSING" -> 0;
            case "APPROVED" -> 1;
            default -> 2;
        };
    }

    static Map<String, Object> statusBody(Topup t) {
        Instant now = Instant.now();
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("success", true);
        answer.put("status", numericStatus(t.status()));
        answer.put("status_text", t.status().toLowerCase(java.util.Locale.ROOT));
        answer.put("amount", Money.toSom(t.paidAmount() != null ? t.paidAmount() : t.requestedAmount()));
        answer.put("invoice_id", t.invoiceId());
        answer.put("can_proceed", "APPROVED".equals(t.status()));
        answer.put("can_start_charging", false);
        answer.put("qr_expired", t.qrExpiresAt().isBefore(now));
        answer.put("invoice_expired", t.invoiceExpiresAt().isBefore(now));
        answer.put("qr_expires_at", t.qrExpiresAt());
        answer.put("invoice_expires_at", t.invoiceExpiresAt());
        answer.put("last_status_check_at", t.lastStatusCheckAt());
        answer.put("needs_callback_check", "PROCESSING".equals(t.status()));
        return answer;
    }

    @GET
    @Path("/payment/status/{invoice_id}")
    public Uni<Map<String, Object>> status(@PathParam("invoice_id") String invoiceId) {
        return owned(invoiceId).map(MobileResource::statusBody);
    }

    @POST
    @Path("/payment/status-check/{invoice_id}")
    public Uni<Map<String, Object>> statusCheck(@PathParam("invoice_id") String invoiceId) {
        return owned(invoiceId).chain(topup -> {
            if (!"PROCESSING".equals(topup.status())) {
                throw new MobileException(409, "payment_not_processing", "The payment is not being processed any more.",
                        Map.of("status", numericStatus(topup.status())));
            }
            return topups.checkWithProvider(topup, "status-check")
                    .onFailure(f -> !(f instanceof MobileException)).transform(MobileResource::providerFailure);
        }).map(t -> {
            Map<String, Object> answer = new LinkedHashMap<>(statusBody(t));
            answer.put("message", "Status checked with the payment provider.");
            return answer;
        });
    }

    @POST
    @Path("/payment/cancel/{invoice_id}")
    public Uni<Map<String, Object>> cancel(@PathParam("invoice_id") String invoiceId) {
        return owned(invoiceId).chain(topup -> {
            if (!"PROCESSING".equals(topup.status())) {
                throw new MobileException(409, "payment_not_cancellable", "Only a payment in processing can be cancelled.",
                        Map.of("status", numericStatus(topup.status())));
            }
            return topups.cancel(topup, false)
                    .onFailure(f -> !(f instanceof MobileException)).transform(MobileResource::providerFailure);
        }).map(t -> {
            if ("APPROVED".equals(t.status())) {
                throw new MobileException(409, "payment_not_cancellable", "The payment was completed before it could be cancelled.",
                        Map.of("status", 1));
            }
            Map<String, Object> answer = new LinkedHashMap<>();
            answer.put("success", true);
            answer.put("message", "Payment cancelled.");
            answer.put("invoice_id", t.invoiceId());
            answer.put("status", "canceled");
            return answer;
        });
    }

    @GET
    @Path("/balance/{client_id}")
    public Uni<Map<String, Object>> balance(@PathParam("client_id") String clientId) {
        if (!user.clientId().equals(clientId)) {
            throw new MobileException(403, "forbidden", "This wallet belongs to another client.");
        }
        return wallets.wallet(clientId).chain(wallet -> topups.lastTopupAt(clientId).chain(last ->
                topups.totalSpent(clientId).map(spent -> {
                    Map<String, Object> answer = new LinkedHashMap<>();
                    answer.put("success", true);
                    answer.put("client_id", clientId);
                    answer.put("balance", Money.toSom(wallet.available()));
                    answer.put("held", Money.toSom(wallet.held()));
                    answer.put("currency", "KGS");
                    answer.put("last_topup_at", last);
                    answer.put("total_spent", Money.toSom(spent));
                    return answer;
                })));
    }

    @GET
    @Path("/history/transactions")
    public Uni<Map<String, Object>> transactions(@QueryParam("limit") Integer limit, @QueryParam("offset") Integer offset) {
        String clientId = user.clientId();
        int l = limit == null ? 50 : limit;
        int o = offset == null ? 0 : offset;
        if (l < 1 || l > 100 || o < 0) {
            throw new MobileException(400, "validation_error", "limit must be 1-100 and offset at least 0.");
        }
        return topups.history(clientId, l, o).chain(rows -> topups.historyCount(clientId).map(total -> {
            List<Map<String, Object>> data = rows.stream().map(MobileResource::movement).toList();
            Map<String, Object> answer = new LinkedHashMap<>();
            answer.put("success", true);
            answer.put("data", data);
            answer.put("total", total);
            answer.put("limit", l);
            answer.put("offset", o);
            return answer;
        }));
    }

    static Map<String, Object> movement(Movement m) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("id", String.valueOf(m.entryId()));
        row.put("transaction_type", switch (m.kind()) {
            case "TOPUP" -> "balance_topup";
            case "HOLD_PLACE" -> "charge_reserve";
            case "HOLD_RELEASE" -> "charge_refund";
            case "HOLD_CAPTURE" -> m.delta() >= 0 ? "charge_refund" : "charge_payment";
            case "RECEIVABLE_SETTLE" -> "receivable_settlement";
            default -> m.kind().toLowerCase(java.util.Locale.ROOT);
        });
        row.put("amount", Money.toSom(m.delta()));
        row.put("requested_amount", m.requestedAmount() == null ? null : Money.toSom(m.requestedAmount()));
        row.put("balance_before", Money.toSom(m.balanceAfter() - m.delta()));
        row.put("balance_after", Money.toSom(m.balanceAfter()));
        row.put("created_at", m.createdAt());
        row.put("completed_at", m.completedAt() != null ? m.completedAt() : m.createdAt());
        row.put("status", m.topupStatus() != null ? m.topupStatus().toLowerCase(java.util.Locale.ROOT) : "completed");
        row.put("payment_method", m.provider());
        row.put("invoice_id", "TOPUP".equals(m.kind()) ? m.reference() : null);
        return row;
    }

    // OBANK card and token payments (seed A3.2/A3.3) behind OBANK_ENABLED. Off: 503 not_available and the body is never
    // read. On: card data lives only in this request's memory on its way to the bank (never stored, never logged).
    @POST
    @Path("/balance/topup-card")
    public Uni<Map<String, Object>> topupCard(byte[] body) {
        return cardPayment(body);
    }

    @POST
    @Path("/payment/h2h-payment")
    public Uni<Map<String, Object>> h2hPayment(byte[] body) {
        return cardPayment(body);
    }

    @POST
    @Path("/payment/create-token")
    public Uni<Map<String, Object>> createToken(byte[] body) {
        String clientId = obankClient();
        JsonNode json = json(body);
        Card card = cardOf(json);
        return obank.storeCard(clientId, card).onFailure().transform(MobileResource::obankFailure).map(result -> {
            if (result.declined() || result.token() == null || result.token().isBlank()) {
                throw new MobileException(402, "payment_declined", "The bank did not store the card.");
            }
            Map<String, Object> answer = new LinkedHashMap<>();
            answer.put("success", true);
            answer.put("card_token", result.token());
            answer.put("card_mask", Card.maskPan(card.pan()));
            answer.put("client_id", clientId);
            return answer;
        });
    }

    @POST
    @Path("/payment/token-payment")
    public Uni<Map<String, Object>> tokenPayment(byte[] body) {
        String clientId = obankClient();
        return limiter.check(clientId).chain(() -> {
            JsonNode json = json(body);
            long amount = amountOf(json);
            String description = descriptionOf(json);
            JsonNode token = json.get("card_token");
            if (token == null || !token.isTextual() || !token.asText().matches("[A-Za-z0-9_\\-]{8,128}")) {
                throw new MobileException(400, "validation_error", "card_token must be 8-128 letters, digits, '_' or '-'.");
            }
            return obank.payByToken(clientId, amount, token.asText(), description)
                    .onFailure().transform(MobileResource::obankFailure)
                    .chain(topup -> paymentAnswer(clientId, topup));
        });
    }

    private Uni<Map<String, Object>> cardPayment(byte[] body) {
        String clientId = obankClient();
        return limiter.check(clientId).chain(() -> {
            JsonNode json = json(body);
            long amount = amountOf(json);
            String description = descriptionOf(json);
            Card card = cardOf(json);
            return obank.payByCard(clientId, amount, card, description)
                    .onFailure().transform(MobileResource::obankFailure)
                    .chain(topup -> paymentAnswer(clientId, topup));
        });
    }

    private Uni<Map<String, Object>> paymentAnswer(String clientId, Topup topup) {
        if ("FAILED".equals(topup.status()) || "CANCELED".equals(topup.status())) {
            throw new MobileException(402, "payment_declined", "The bank declined the payment.",
                    Map.of("transaction_id", topup.orderId()));
        }
        return wallets.wallet(clientId).map(wallet -> {
            boolean approved = "APPROVED".equals(topup.status());
            Map<String, Object> answer = new LinkedHashMap<>();
            answer.put("success", true);
            answer.put("transaction_id", topup.orderId());
            answer.put("status", approved ? "approved" : "processing");
            answer.put("message", approved ? "Payment approved." : "The bank is still processing the payment.");
            answer.put("amount", Money.toSom(topup.paidAmount() != null ? topup.paidAmount() : topup.requestedAmount()));
            answer.put("client_id", clientId);
            answer.put("current_balance", Money.toSom(wallet.available()));
            return answer;
        });
    }

    static Throwable obankFailure(Throwable f) {
        if (f instanceof MobileException) {
            return f;
        }
        if (f instanceof ObankClient.ObankRejected) {
            return new MobileException(502, "payment_provider_error", "The bank answered unexpectedly; check the payment status.");
        }
        return new MobileException(503, "payment_provider_error", "The bank is not reachable; check the payment status later.");
    }

    private String obankClient() {
        String clientId = user.clientId();
        if (!config.obank().enabled()) {
            throw new MobileException(503, "not_available", "Card payments are not available.");
        }
        return clientId;
    }

    private JsonNode json(byte[] body) {
        JsonNode json;
        try {
            json = body == null || body.length == 0 ? null : mapper.readTree(body);
        } catch (java.io.IOException e) {
            // Jackson's message could quote the input (card data): never pass it on.
            json = null;
        }
        if (json == null || !json.isObject()) {
            throw new MobileException(400, "validation_error", "The body must be a JSON object.");
        }
        return json;
    }

    private static Card cardOf(JsonNode json) {
        try {
            return Card.of(text(json, "card_pan"), text(json, "card_name"), text(json, "card_month"), text(json, "card_year"),
                    text(json, "card_cvv"), text(json, "email"));
        } catch (IllegalArgumentException e) {
            throw new MobileException(400, "validation_error", e.getMessage());
        }
    }

    private static String text(JsonNode json, String field) {
        JsonNode node = json.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isTextual()) {
            throw new IllegalArgumentException(field + " must be a string.");
        }
        return node.asText();
    }
}
