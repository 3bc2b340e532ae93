package dev.verifarm.coordinator.web;

/** One labelled value of a page's evidence, e.g. {@code body address = 0x486ec0}. */
public record Fact(String label, String value) {
}
