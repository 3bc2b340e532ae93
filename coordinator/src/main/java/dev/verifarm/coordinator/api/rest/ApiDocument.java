package dev.verifarm.coordinator.api.rest;

import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.media.Content;
import org.eclipse.microprofile.openapi.models.media.Schema;

import java.util.List;
import java.util.Map;

/**
 * Completes the generated OpenAPI document with what annotations cannot say once for all: every operation of the API
 * answers a refusal with an {@link ErrorBody}, and the dashboard's HTML pages are not part of the API.
 */
public class ApiDocument implements OASFilter {
    private static final String API = "/api/";
    private static final String ERROR_BODY = "ErrorBody";

    @Override
    public void filterOpenAPI(OpenAPI document) {
        document.getPaths().getPathItems().keySet().stream().filter(path -> !path.startsWith(API)).toList()
                .forEach(document.getPaths()::removePathItem);
        document.getComponents().addSchema(ERROR_BODY, OASFactory.createSchema().type(List.of(Schema.SchemaType.OBJECT))
                .description("Every refusal: what is wrong, and the request field (JSON path, query parameter or"
                        + " header) it is about")
                .properties(Map.of("error", OASFactory.createSchema().type(List.of(Schema.SchemaType.STRING)),
                        "field", OASFactory.createSchema().type(List.of(Schema.SchemaType.STRING))))
                .required(List.of("error", "field")));
        document.getPaths().getPathItems().values().forEach(item -> item.getOperations().values().forEach(operation -> {
            operation.getResponses().addAPIResponse("default", OASFactory.createAPIResponse()
                    .description("A refusal (4xx) with what is wrong and the field it is about")
                    .content(errorBody()));
            // a refusal the generator lists by its code (400 for a body it reads) has the same body
            operation.getResponses().getAPIResponses().forEach((code, response) -> {
                if (code.startsWith("4")) {
                    response.content(errorBody());
                }
            });
        }));
    }

    private static Content errorBody() {
        return OASFactory.createContent().addMediaType("application/json", OASFactory.createMediaType()
                .schema(OASFactory.createSchema().ref("#/components/schemas/" + ERROR_BODY)));
    }
}
