package dev.verifarm.coordinator.api.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import dev.verifarm.coordinator.problem.HttpStatus;
import dev.verifarm.coordinator.problem.InvalidInputException;
import dev.verifarm.coordinator.problem.OverQuotaException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import java.util.stream.Collectors;

/** Bad input becomes a precise 400, 401, 403, 404, 409, 413, 429 or 507 with an {@link ErrorBody}. */
public class ErrorMappers {
    private static final String API = "/api/";

    @ServerExceptionMapper
    public Response invalid(InvalidInputException e) {
        int status = HttpStatus.of(e);
        Response response = body(status, e.getMessage(), e.field());
        return status == 401 ? Response.fromResponse(response).header("WWW-Authenticate", "Bearer").build() : response;
    }

    /** Over quota: the numbers too, so that a client can tell how much to free. */
    @ServerExceptionMapper
    public Response overQuota(OverQuotaException e) {
        return Response.status(413).type(MediaType.APPLICATION_JSON).entity(new QuotaErrorBody(e.getMessage(),
                e.field(), e.used(), e.upload(), e.limit())).build();
    }

    @ServerExceptionMapper
    public Response unreadableJson(JsonProcessingException e) {
        String field = e instanceof JsonMappingException mapping ? mapping.getPath().stream()
                .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                .collect(Collectors.joining(".")).replace(".[", "[") : "body";
        return body(400, "unreadable JSON: " + e.getOriginalMessage(), field.isEmpty() ? "body" : field);
    }

    /** Quarkus maps this subtype itself, without the field; take it back so the answer names the field. */
    @ServerExceptionMapper
    public Response mismatchedJson(MismatchedInputException e) {
        return unreadableJson(e);
    }

    /**
     * What the framework refuses itself (a body that is not JSON, a path or method the API does not have) comes
     * without a body; on the API it gets the same {@link ErrorBody} as every other refusal. The dashboard's pages
     * keep the framework's answers.
     */
    @ServerExceptionMapper
    public Response framework(WebApplicationException e, UriInfo uri) {
        if (e.getCause() instanceof JsonProcessingException json) {
            return unreadableJson(json);
        }
        Response refused = e.getResponse();
        if (refused.hasEntity() || !uri.getPath().startsWith(API)) {
            return refused;
        }
        int status = refused.getStatus();
        String field = switch (status) {
            case 405 -> "method";
            case 406 -> "Accept";
            case 415 -> "Content-Type";
            default -> "path";
        };
        String reason = refused.getStatusInfo().getReasonPhrase();
        return body(status, reason + ": " + uri.getPath() + (status == 415
                ? " does not take this Content-Type" : status == 405 ? " does not take this method" : ""), field);
    }

    private static Response body(int status, String error, String field) {
        return Response.status(status).type(MediaType.APPLICATION_JSON).entity(new ErrorBody(error, field)).build();
    }
}
