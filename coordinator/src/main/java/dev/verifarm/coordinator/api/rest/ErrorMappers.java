package dev.verifarm.coordinator.api.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import dev.verifarm.coordinator.problem.ConflictException;
import dev.verifarm.coordinator.problem.InvalidInputException;
import dev.verifarm.coordinator.problem.NotFoundException;
import dev.verifarm.coordinator.problem.TooLargeException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import java.util.stream.Collectors;

/** Bad input becomes a precise 400, 404, 409 or 413 with an {@link ErrorBody}. */
public class ErrorMappers {

    @ServerExceptionMapper
    public Response invalid(InvalidInputException e) {
        int status = e instanceof NotFoundException ? 404 : e instanceof TooLargeException ? 413
                : e instanceof ConflictException ? 409 : 400;
        return body(status, e.getMessage(), e.field());
    }

    @ServerExceptionMapper
    public Response unreadableJson(JsonProcessingException e) {
        String field = e instanceof JsonMappingException mapping ? mapping.getPath().stream()
                .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                .collect(Collectors.joining(".")).replace(".[", "[") : "body";
        return body(400, "unreadable JSON: " + e.getOriginalMessage(), field.isEmpty() ? "body" : field);
    }

    private static Response body(int status, String error, String field) {
        return Response.status(status).type(MediaType.APPLICATION_JSON).entity(new ErrorBody(error, field)).build();
    }
}
