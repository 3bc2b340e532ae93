package dev.verifarm.coordinator.web;

import dev.verifarm.coordinator.problem.InvalidInputException;
import dev.verifarm.coordinator.problem.NotFoundException;
import dev.verifarm.coordinator.problem.TooLargeException;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** Bad input to a page is answered with a page that names what was wrong, under the API's status codes. */
final class ErrorPage {

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance page(int status, String field, String message);
    }

    private ErrorPage() {
    }

    static Response of(InvalidInputException e) {
        int status = e instanceof NotFoundException ? 404 : e instanceof TooLargeException ? 413 : 400;
        return Response.status(status).type(MediaType.TEXT_HTML_TYPE)
                .entity(Templates.page(status, e.field(), e.getMessage()).render()).build();
    }
}
