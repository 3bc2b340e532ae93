package dev.verifarm.coordinator.api.rest;

import dev.verifarm.coordinator.access.Caller;
import dev.verifarm.coordinator.access.Role;
import dev.verifarm.coordinator.config.CoordinatorConfig;
import dev.verifarm.coordinator.problem.ForbiddenException;
import dev.verifarm.coordinator.problem.TooLargeException;
import dev.verifarm.coordinator.problem.UnauthenticatedException;
import dev.verifarm.coordinator.security.Anonymous;
import dev.verifarm.coordinator.security.Requires;
import dev.verifarm.coordinator.security.Session;
import dev.verifarm.coordinator.security.TokenStore;
import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Cookie;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.SimpleResourceInfo;

import java.util.Locale;

/**
 * Every API request carries {@code Authorization: Bearer <token>}; its role must cover what the resource method
 * {@link Requires}; a browser signed in to the dashboard may instead read with its {@link Session#COOKIE}. Health,
 * metrics, the OpenAPI document and the dashboard's sign-in form stay open. A JSON body larger than
 * {@code verifarm.limits.json-body-size} is refused here, before anyone reads it.
 */
public class Authentication {
    private static final Logger LOG = Logger.getLogger(Authentication.class);

    private final TokenStore tokens;
    private final RestCaller current;
    private final long jsonBodyLimit;

    Authentication(TokenStore tokens, RestCaller current, CoordinatorConfig config) {
        this.tokens = tokens;
        this.current = current;
        this.jsonBodyLimit = config.limits().jsonBodySize();
    }

    @ServerRequestFilter
    public void authenticate(ContainerRequestContext request, SimpleResourceInfo resource) {
        if (resource.getResourceClass().isAnnotationPresent(Anonymous.class)) {
            return;
        }
        String header = request.getHeaderString(HttpHeaders.AUTHORIZATION);
        Cookie session = request.getCookies().get(Session.COOKIE);
        String secret;
        if ((header == null || header.isBlank()) && session != null && reads(request.getMethod())) {
            // a browser's session may only read: a cookie rides along on requests a page did not mean to make
            secret = session.getValue();
        } else if (header == null || header.isBlank()) {
            throw new UnauthenticatedException("an API token is required: Authorization: Bearer <token>");
        } else if (!header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw new UnauthenticatedException("the Authorization header must be 'Bearer <token>'");
        } else {
            secret = header.substring(7).strip();
        }
        Caller caller = tokens.authenticate(secret).orElseThrow(() -> {
            LOG.infof("refused %s %s: unknown or revoked token", request.getMethod(), request.getUriInfo().getPath());
            return new UnauthenticatedException("the token is unknown or revoked");
        });
        Role needed = needed(request.getMethod(), resource);
        if (!caller.is(needed)) {
            throw new ForbiddenException("authorization", caller + " may not do this; it needs a "
                    + needed.name().toLowerCase(Locale.ROOT) + " token");
        }
        MediaType type = request.getMediaType();
        if (request.getLength() > jsonBodyLimit && (type == null
                || !type.isCompatible(MediaType.APPLICATION_OCTET_STREAM_TYPE))) {
            throw new TooLargeException("body", "the request body of " + request.getLength()
                    + " bytes is larger than the limit of " + jsonBodyLimit + " bytes");
        }
        current.set(caller);
    }

    private static boolean reads(String method) {
        return HttpMethod.GET.equals(method) || HttpMethod.HEAD.equals(method);
    }

    private static Role needed(String method, SimpleResourceInfo resource) {
        try {
            Requires onMethod = resource.getResourceClass()
                    .getMethod(resource.getMethodName(), resource.parameterTypes()).getAnnotation(Requires.class);
            if (onMethod != null) {
                return onMethod.value();
            }
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException("a matched resource method does not exist", e);
        }
        Requires onClass = resource.getResourceClass().getAnnotation(Requires.class);
        if (onClass != null) {
            return onClass.value();
        }
        return reads(method) ? Role.READER : Role.SUBMITTER;
    }
}
