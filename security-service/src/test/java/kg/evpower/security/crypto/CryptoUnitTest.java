package kg.evpower.security.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;

import javax.crypto.SecretKey;

import org.junit.jupiter.api.Test;

class CryptoUnitTest {

    @Test
    void pbkdf2HashesVerifyOnlyTheRightPasswordAndCarryTheirIterations() {
        PasswordHasher hasher = new PasswordHasher(1000);
        String hash = hasher.hash("correct horse battery");
        assertTrue(hash.startsWith("pbkdf2-sha256$1000$"));
        assertTrue(hasher.verify("correct horse battery", hash));
        assertFalse(hasher.verify("correct horse batterx", hash));
        assertFalse(hasher.verify("", hash));
        assertFalse(hasher.verify(null, hash));
        assertFalse(hasher.verify("x", "bcrypt$nonsense"));
        assertNotEquals(hash, hasher.hash("correct horse battery"), "salted");
        // A hash made with another iteration count still verifies (the count is stored with it).
        assertTrue(new PasswordHasher(2000).verify("correct horse battery", hash));
        assertFalse(hasher.verifyNothing("anything"));
        assertThrows(IllegalArgumentException.class, () -> new PasswordHasher(10));
    }

    @Test
    void generatedKeysGetACheapSaltedHashThatVerifiesOnlyThemselves() {
        PasswordHasher hasher = new PasswordHasher(1000);
        String key = PasswordHasher.newAuthorizationKey();
        String hash = hasher.hashGenerated(key);
        assertTrue(hash.matches("sha256\\$[A-Za-z0-9+/]{22}\\$[A-Za-z0-9+/]{43}"), hash);
        assertTrue(hasher.verify(key, hash));
        assertFalse(hasher.verify(key.substring(1) + "0", hash));
        assertFalse(hasher.verify("", hash));
        assertFalse(hasher.verify(null, hash));
        assertNotEquals(hash, hasher.hashGenerated(key), "salted");
        assertFalse(hash.contains(key));
        assertFalse(hasher.verify(key, "sha256$not base64!$x"), "malformed: false, not an exception");
        assertFalse(hasher.verify(key, "sha256$" + hash.split("\\$")[1]), "missing part");
    }

    @Test
    void onlyGeneratedKeyHashesAreCheapEnoughForTheEventLoop() {
        PasswordHasher hasher = new PasswordHasher(1000);
        assertTrue(PasswordHasher.isCheap(hasher.hashGenerated(PasswordHasher.newAuthorizationKey())));
        assertFalse(PasswordHasher.isCheap(hasher.hash("operator-chosen-key-42")), "PBKDF2 belongs on a worker");
        assertFalse(PasswordHasher.isCheap("sha256-but-not-quite$x$y"));
        assertFalse(PasswordHasher.isCheap(null));
        // the unknown-charge-point dummy is a generated-key hash: it runs where a real generated key's check runs
        assertTrue(hasher.verifyNothingIsCheap());
    }

    @Test
    void generatedAuthorizationKeysFitOcpp() {
        String key = PasswordHasher.newAuthorizationKey();
        assertTrue(key.matches("[0-9a-f]{40}"), key);
        assertNotEquals(key, PasswordHasher.newAuthorizationKey());
    }

    @Test
    void aesGcmOpensOnlyWithTheSameKeyAndAssociatedData() throws Exception {
        SecretKey key = AesGcm.newKey();
        byte[] aad = "cp-1".getBytes(StandardCharsets.UTF_8);
        byte[] sealed = AesGcm.seal(key, "hello".getBytes(StandardCharsets.UTF_8), aad);
        assertEquals(12 + 5 + 16, sealed.length);
        assertArrayEquals("hello".getBytes(StandardCharsets.UTF_8), AesGcm.open(key, sealed, aad));
        assertThrows(AesGcm.OpenFailedException.class, () -> AesGcm.open(key, sealed, "cp-2".getBytes(StandardCharsets.UTF_8)));
        assertThrows(AesGcm.OpenFailedException.class, () -> AesGcm.open(AesGcm.newKey(), sealed, aad));
        byte[] tampered = sealed.clone();
        tampered[13] ^= 1;
        assertThrows(AesGcm.OpenFailedException.class, () -> AesGcm.open(key, tampered, aad));
        assertThrows(AesGcm.OpenFailedException.class, () -> AesGcm.open(key, new byte[10], aad));
    }

    @Test
    void hkdfDerivesStableDistinctKeys() {
        SecretKey a = AesGcm.deriveKey("a-long-enough-secret-for-testing-0001", "salt", "purpose-1");
        assertArrayEquals(a.getEncoded(), AesGcm.deriveKey("a-long-enough-secret-for-testing-0001", "salt", "purpose-1").getEncoded());
        assertFalse(java.util.Arrays.equals(a.getEncoded(),
                AesGcm.deriveKey("a-long-enough-secret-for-testing-0001", "salt", "purpose-2").getEncoded()));
        assertFalse(java.util.Arrays.equals(a.getEncoded(),
                AesGcm.deriveKey("a-long-enough-secret-for-testing-0002", "salt", "purpose-1").getEncoded()));
        assertEquals(32, a.getEncoded().length);
    }

    @Test
    void payloadFormatRoundTripsAndRefusesShortOrNonBase64() throws Exception {
        byte[] sealed = new byte[12 + 3 + 16];
        String encoded = PayloadFormat.encode(7, sealed);
        PayloadFormat.Parsed parsed = PayloadFormat.decode(encoded);
        assertEquals(7, parsed.keyVersion());
        assertArrayEquals(sealed, parsed.sealed());
        assertTrue(assertThrows(PayloadFormat.MalformedException.class,
                () -> PayloadFormat.decode(java.util.Base64.getEncoder().encodeToString(new byte[31]))).truncated());
        assertFalse(assertThrows(PayloadFormat.MalformedException.class, () -> PayloadFormat.decode("!!!")).truncated());
        assertTrue(assertThrows(PayloadFormat.MalformedException.class, () -> PayloadFormat.decode("")).truncated());
    }
}
