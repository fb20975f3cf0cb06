/**
 * Test support shared by every Tidemark module through this module's test-jar: sample data, the
 * golden pane formatter and harnesses that start real servers.
 */
package dev.tidemark.testing;
