package dev.verifarm.coordinator.web;

import dev.verifarm.coordinator.access.Caller;
import dev.verifarm.coordinator.access.Role;
import dev.verifarm.coordinator.security.Anonymous;
import dev.verifarm.coordinator.security.Session;
import dev.verifarm.coordinator.security.TokenStore;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.NewCookie;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.RestQuery;

import java.net.URI;
import java.util.Optional;

/**
 * The dashboard's sign-in: a person enters an API token once (any role that may read), and the browser keeps it
 * in an HttpOnly, same-site cookie that the API accepts for reads only. The token never appears in a URL.
 */
@Anonymous
@Path("/")
@Produces(MediaType.TEXT_HTML)
public class SignInPage {
    private final TokenStore tokens;

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance form(String next, String error);
    }

    @Inject
    SignInPage(TokenStore tokens) {
        this.tokens = tokens;
    }

    @GET
    @Path("/login")
    public TemplateInstance form(@RestQuery String next) {
        return Templates.form(local(next), "");
    }

    @POST
    @Path("/login")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response signIn(@RestForm String token, @RestForm String next, UriInfo uri) {
        Optional<Caller> caller = tokens.authenticate(token == null ? null : token.strip());
        if (caller.isEmpty() || !caller.get().is(Role.READER)) {
            String error = caller.isEmpty() ? "the token is unknown or revoked"
                    : caller.get() + " may not read the farm; sign in with a reader, submitter or admin token";
            return Response.status(401).type(MediaType.TEXT_HTML_TYPE)
                    .entity(Templates.form(local(next), error).render()).build();
        }
        return Response.seeOther(URI.create(local(next))).cookie(session(token.strip(), uri, -1)).build();
    }

    @POST
    @Path("/logout")
    public Response signOut(UriInfo uri) {
        return Response.seeOther(URI.create("/login")).cookie(session("", uri, 0)).build();
    }

    private static NewCookie session(String token, UriInfo uri, int maxAge) {
        return new NewCookie.Builder(Session.COOKIE).value(token).path("/").httpOnly(true)
                .sameSite(NewCookie.SameSite.STRICT).secure("https".equals(uri.getRequestUri().getScheme()))
                .maxAge(maxAge).build();
    }

    /** Only a path on this server: a sign-in must not send the browser elsewhere. */
    private static String local(String next) {
        return next != null && next.startsWith("/") && !next.startsWith("//") && !next.startsWith("/\\")
                ? next : "/";
    }
}
