package dev.verifarm.coordinator.web;

import dev.verifarm.coordinator.problem.HttpStatus;
import dev.verifarm.coordinator.problem.InvalidInputException;
import dev.verifarm.coordinator.problem.UnauthenticatedException;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * Bad input to a page is answered with a page that names what was wrong, under the API's status codes; a browser
 * that has not signed in is sent to the sign-in form, which brings it back.
 */
final class ErrorPage {

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance page(int status, String title, String field, String message);
    }

    private ErrorPage() {
    }

    static Response of(InvalidInputException e, UriInfo uri) {
        if (e instanceof UnauthenticatedException) {
            String back = uri.getRequestUri().getRawPath()
                    + (uri.getRequestUri().getRawQuery() == null ? "" : "?" + uri.getRequestUri().getRawQuery());
            return Response.seeOther(URI.create("/login?next=" + URLEncoder.encode(back, StandardCharsets.UTF_8)))
                    .build();
        }
        int status = HttpStatus.of(e);
        String title = switch (status) {
            case 403 -> "Forbidden";
            case 404 -> "Not found";
            default -> "Bad request";
        };
        return Response.status(status).type(MediaType.TEXT_HTML_TYPE)
                .entity(Templates.page(status, title, e.field(), e.getMessage()).render()).build();
    }
}
