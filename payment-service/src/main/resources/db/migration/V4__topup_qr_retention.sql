-- Retention (jobs/TopupQrRetention): finds the QR payloads still stored on top-ups closed without a credit by closing
-- time. Partial, so it holds only the payloads left to clear and shrinks as they are cleared.
CREATE INDEX topup_qr_to_clear ON topup (completed_at)
    WHERE qr_code <> '' AND status IN ('CANCELED', 'EXPIRED', 'FAILED') AND credited_entry_id IS NULL;
