package dev.verifarm.cli.connect;

import dev.verifarm.cli.exit.CliException;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;

/**
 * Where the coordinator is and how to talk to it. Each setting comes from the command line, else the environment,
 * else the config file ({@code $XDG_CONFIG_HOME/verifarm/cli.properties}, by default
 * {@code ~/.config/verifarm/cli.properties}, keys {@code coordinator}, {@code token}, {@code tls-ca}).
 *
 * @param token sent as {@code authorization: Bearer TOKEN}; empty: no header at all
 * @param tlsCa the CA certificate (PEM) the coordinator's certificate must chain to; empty: plaintext
 */
public record Settings(String host, int port, Optional<String> token, Optional<Path> tlsCa) {
    public static final String DEFAULT_COORDINATOR = "localhost:9090";
    private static final Set<String> FILE_KEYS = Set.of("coordinator", "token", "tls-ca");

    public String target() {
        return host + ":" + port;
    }

    /** @param coordinatorOption {@code --coordinator}, @param tlsCaOption {@code --tls-ca}, when given */
    public static Settings resolve(Optional<String> coordinatorOption, Optional<String> tlsCaOption,
                                   Map<String, String> env) {
        Properties file = configFile(env);
        String coordinator = coordinatorOption.or(() -> nonEmpty(env.get("VERIFARM_COORDINATOR")))
                .or(() -> nonEmpty(file.getProperty("coordinator"))).orElse(DEFAULT_COORDINATOR);
        Optional<String> token = nonEmpty(env.get("VERIFARM_TOKEN")).or(() -> nonEmpty(file.getProperty("token")))
                .map(String::strip);
        Optional<Path> tlsCa = tlsCaOption.or(() -> nonEmpty(env.get("VERIFARM_TLS_CA")))
                .or(() -> nonEmpty(file.getProperty("tls-ca"))).map(Path::of);
        tlsCa.filter(ca -> !Files.isReadable(ca)).ifPresent(ca -> {
            throw CliException.error("the TLS CA file " + ca + " cannot be read");
        });
        int colon = coordinator.lastIndexOf(':');
        if (colon <= 0 || colon == coordinator.length() - 1) {
            throw CliException.error("the coordinator must be HOST:PORT, got '" + coordinator + "'");
        }
        int port;
        try {
            port = Integer.parseInt(coordinator.substring(colon + 1));
        } catch (NumberFormatException e) {
            port = -1;
        }
        if (port < 1 || port > 65535) {
            throw CliException.error("the coordinator's port must be a number from 1 to 65535, got '"
                    + coordinator.substring(colon + 1) + "'");
        }
        String host = coordinator.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        return new Settings(host, port, token, tlsCa);
    }

    static Path configPath(Map<String, String> env) {
        Path base = nonEmpty(env.get("XDG_CONFIG_HOME")).map(Path::of)
                .orElseGet(() -> Path.of(env.getOrDefault("HOME", System.getProperty("user.home")), ".config"));
        return base.resolve("verifarm").resolve("cli.properties");
    }

    private static Properties configFile(Map<String, String> env) {
        Path path = configPath(env);
        Properties properties = new Properties();
        if (!Files.exists(path)) {
            return properties;
        }
        try (Reader reader = Files.newBufferedReader(path)) {
            properties.load(reader);
        } catch (IOException e) {
            throw CliException.error("cannot read the config file " + path + ": " + e.getMessage());
        }
        for (String key : properties.stringPropertyNames()) {
            if (!FILE_KEYS.contains(key)) {
                throw CliException.error("the config file " + path + " has an unknown key '" + key
                        + "' (known: coordinator, token, tls-ca)");
            }
        }
        return properties;
    }

    private static Optional<String> nonEmpty(String value) {
        return Optional.ofNullable(value).filter(v -> !v.isBlank());
    }
}
