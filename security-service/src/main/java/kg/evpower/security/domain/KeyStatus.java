package kg.evpower.security.domain;

/** ACTIVE encrypts and decrypts; DECRYPT_ONLY (after a rotation) decrypts until its grace ends; REVOKED does nothing. */
public enum KeyStatus {
    ACTIVE, DECRYPT_ONLY, REVOKED
}
