/**
 * Errors as data: a {@link dev.tidemark.transforms.deadletter.DeadLetter} carries a rejected input
 * with its source and the reason, so that no input is ever silently lost.
 */
package dev.tidemark.transforms.deadletter;
