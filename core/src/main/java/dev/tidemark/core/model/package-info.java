/**
 * A model version as it serves: the files a version is published with ({@link
 * dev.tidemark.core.model.ModelFiles}), one loaded version (predict, TreeSHAP explain) and the
 * newest-version tracking that hot-swaps a newer complete version in. The model server and the
 * in-pipeline scorer both use these classes.
 */
package dev.tidemark.core.model;
