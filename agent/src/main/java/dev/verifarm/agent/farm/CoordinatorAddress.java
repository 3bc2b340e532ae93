package dev.verifarm.agent.farm;

/** One coordinator's gRPC address, {@code HOST:PORT}. */
public record CoordinatorAddress(String host, int port) {

    /** Parses {@code HOST:PORT}; a bad one is an {@link IllegalArgumentException} quoting it. */
    public static CoordinatorAddress parse(String spelled) {
        int colon = spelled.lastIndexOf(':');
        if (colon <= 0 || colon == spelled.length() - 1) {
            throw new IllegalArgumentException("--coordinator must be HOST:PORT[,HOST:PORT...], got '" + spelled + "'");
        }
        int port;
        try {
            port = Integer.parseInt(spelled.substring(colon + 1));
        } catch (NumberFormatException e) {
            port = -1;
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("--coordinator port must be between 1 and 65535, got '"
                    + spelled.substring(colon + 1) + "' in '" + spelled + "'");
        }
        return new CoordinatorAddress(spelled.substring(0, colon), port);
    }

    @Override
    public String toString() {
        return host + ":" + port;
    }
}
