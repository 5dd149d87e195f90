package kg.evpower.payment.rest;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.PositiveOrZero;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;

import org.jboss.resteasy.reactive.ResponseStatus;

import io.smallrye.mutiny.Uni;
import kg.evpower.payment.domain.WalletDtos.HoldCaptured;
import kg.evpower.payment.domain.WalletDtos.HoldPlaced;
import kg.evpower.payment.domain.WalletDtos.HoldReleased;
import kg.evpower.payment.domain.WalletDtos.Wallet;
import kg.evpower.payment.service.WalletService;

/** The wallet API charging-service calls (docs/contracts.md "payment-service"); service token checked by the platform. */
@Path("/internal")
public class InternalWalletResource {

    /** 10 000 000 som in tyiyn: far above any charging session, small enough that sums never overflow. */
    static final long MAX_AMOUNT = 1_000_000_000L;

    public record HoldRequest(@NotBlank @Size(max = 128) String sessionId,
            @NotNull @Positive @Max(MAX_AMOUNT) Long amount,
            @NotBlank @Size(max = 200) String idempotencyKey) {
    }

    public record CaptureRequest(@NotNull @PositiveOrZero @Max(MAX_AMOUNT) Long amount,
            @NotBlank @Size(max = 200) String idempotencyKey) {
    }

    public record ReleaseRequest(@NotBlank @Size(max = 200) String idempotencyKey) {
    }

    private final WalletService wallets;

    InternalWalletResource(WalletService wallets) {
        this.wallets = wallets;
    }

    @GET
    @Path("/wallets/{clientId}")
    public Uni<Wallet> wallet(@PathParam("clientId") @Size(max = 128) String clientId) {
        return wallets.wallet(clientId);
    }

    @POST
    @Path("/wallets/{clientId}/holds")
    @ResponseStatus(201)
    public Uni<HoldPlaced> placeHold(@PathParam("clientId") @Size(max = 128) String clientId,
            @Valid @NotNull HoldRequest request) {
        return wallets.placeHold(clientId, request.sessionId(), request.amount(), request.idempotencyKey());
    }

    @POST
    @Path("/holds/{holdId}/capture")
    public Uni<HoldCaptured> capture(@PathParam("holdId") String holdId, @Valid @NotNull CaptureRequest request) {
        return wallets.capture(holdId, request.amount(), request.idempotencyKey());
    }

    @POST
    @Path("/holds/{holdId}/release")
    public Uni<HoldReleased> release(@PathParam("holdId") String holdId, @Valid @NotNull ReleaseRequest request) {
        return wallets.release(holdId, request.idempotencyKey());
    }

}
