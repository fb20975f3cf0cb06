/**
 * The {@code bin/tidemark} command line: one picocli subcommand per file, errors as one sentence
 * plus the fix (stack traces only with {@code --verbose}), progress on standard error.
 */
package dev.tidemark.cli;
