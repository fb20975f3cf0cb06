package dev.tidemark.core.protocol;

/**
 * The body of every error response, in both protocols: {@code {"error": "<message>"}}.
 *
 * @param error one sentence saying what was wrong
 */
public record ErrorBody(String error) {}
