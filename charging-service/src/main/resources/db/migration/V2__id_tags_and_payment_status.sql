-- RFID id tags of clients (sessions started at the station) and payment-service's confirmations of session holds.

CREATE TABLE client_id_tag (
    id_tag     VARCHAR(20)  PRIMARY KEY,                -- OCPP idTag (CiString20) on the client's card
    client_id  VARCHAR(100) NOT NULL REFERENCES client (id),
    created_at TIMESTAMPTZ  NOT NULL DEFAULT now(),
    updated_at TIMESTAMPTZ  NOT NULL DEFAULT now()
);
CREATE INDEX client_id_tag_client ON client_id_tag (client_id);

-- an RFID tag is used by many sessions; app sessions keep their own random tag
ALTER TABLE charging_session DROP CONSTRAINT charging_session_id_tag_key;
CREATE INDEX charging_session_id_tag ON charging_session (id_tag);
ALTER TABLE charging_session ADD COLUMN origin VARCHAR(10) NOT NULL DEFAULT 'app' CHECK (origin IN ('app', 'rfid'));

-- evpower.payment.v1: HELD | CAPTURED | RELEASED as payment-service confirmed it; receivable = captured short of cost
ALTER TABLE charging_session ADD COLUMN payment_status VARCHAR(20)
    CHECK (payment_status IN ('HELD', 'CAPTURED', 'RELEASED'));
ALTER TABLE charging_session ADD COLUMN payment_captured BIGINT;
ALTER TABLE charging_session ADD COLUMN payment_receivable BIGINT;
ALTER TABLE charging_session ADD COLUMN payment_updated_at TIMESTAMPTZ;
