package kg.evpower.payment.support;

/** Credentials tests send. */
public final class Auth {

    private Auth() {
    }

    /**
     * The Authorization header of an internal (service) call: a token of the platform's TestServiceTokens. Looked up
     * reflectively while the installed platform test-jar may predate the service-auth commit.
     */
    public static String service() {
        try {
            return (String) Class.forName("kg.evpower.platform.testing.TestServiceTokens").getMethod("bearer").invoke(null);
        } catch (ClassNotFoundException e) {
            return null;
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }
}
