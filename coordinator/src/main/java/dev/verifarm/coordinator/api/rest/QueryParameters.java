package dev.verifarm.coordinator.api.rest;

import dev.verifarm.coordinator.problem.InvalidInputException;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.UriInfo;
import org.jboss.resteasy.reactive.RestQuery;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * The query parameters of the REST API: a name the endpoint does not take, or a number that is not one, is a 400
 * naming the parameter, never a silent default or the framework's bare 404. The names an endpoint takes are read from
 * its own {@link RestQuery} parameters, so the check cannot drift from the resource methods.
 */
public final class QueryParameters {
    private static final Map<Method, Set<String>> ACCEPTED = new ConcurrentHashMap<>();

    @ServerRequestFilter
    public void refuseUnknown(UriInfo uri, ResourceInfo resource) {
        Method method = resource.getResourceMethod();
        if (method == null || !method.getDeclaringClass().getPackageName().equals(getClass().getPackageName())) {
            return;  // the dashboard and the framework's own endpoints keep their behaviour
        }
        Set<String> accepted = ACCEPTED.computeIfAbsent(method, QueryParameters::accepted);
        for (String name : new TreeSet<>(uri.getQueryParameters().keySet())) {
            if (!accepted.contains(name)) {
                throw new InvalidInputException(name, "unknown query parameter '" + name + "'; "
                        + (accepted.isEmpty() ? "this endpoint takes none"
                        : "this endpoint takes " + String.join(", ", new TreeSet<>(accepted))));
            }
        }
    }

    private static Set<String> accepted(Method method) {
        return Arrays.stream(method.getParameters()).filter(p -> p.isAnnotationPresent(RestQuery.class))
                .map(QueryParameters::name).collect(Collectors.toUnmodifiableSet());
    }

    private static String name(Parameter parameter) {
        String declared = parameter.getAnnotation(RestQuery.class).value();
        return declared.isEmpty() ? parameter.getName() : declared;
    }

    /** A whole number between 1 and {@code max}, or {@code absent} when the parameter is not given. */
    public static int count(String field, String text, int absent, int max) {
        if (text == null || text.isBlank()) {
            return absent;
        }
        long value;
        try {
            value = Long.parseLong(text.strip());
        } catch (NumberFormatException e) {
            throw new InvalidInputException(field, field + " must be a whole number between 1 and " + max
                    + ", got '" + text + "'");
        }
        if (value < 1 || value > max) {
            throw new InvalidInputException(field, field + " must be between 1 and " + max + ", got " + value);
        }
        return (int) value;
    }
}
