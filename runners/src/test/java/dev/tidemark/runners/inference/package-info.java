/** Integration tests of the streaming inference pipeline on a real broker. */
package dev.tidemark.runners.inference;
