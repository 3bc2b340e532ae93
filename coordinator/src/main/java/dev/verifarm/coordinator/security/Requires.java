package dev.verifarm.coordinator.security;

import dev.verifarm.coordinator.access.Role;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The role a REST resource method (or every method of a resource class) needs. Without it, reading ({@code GET})
 * needs {@link Role#READER} and anything else {@link Role#SUBMITTER}.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
public @interface Requires {
    Role value();
}
