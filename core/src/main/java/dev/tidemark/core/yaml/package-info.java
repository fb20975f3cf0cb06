/**
 * The one YAML reader of Tidemark, for documents people write and must be told precisely what is
 * wrong with: the scenario files of {@code bin/tidemark play} and KServe InferenceGraph specs.
 *
 * <p>{@link dev.tidemark.core.yaml.YamlReader} reads a file into a {@link
 * dev.tidemark.core.yaml.YamlDocument} of {@link dev.tidemark.core.yaml.YamlNode}s, each with its
 * line and its path in the document ({@code pipeline.trigger.watermark.early}, {@code
 * stream[2].at}); {@link dev.tidemark.core.yaml.YamlMapping} is a mapping checked for duplicate and
 * unknown keys. Every error is a {@link dev.tidemark.core.yaml.YamlException} naming file, line,
 * path and what is wrong in one sentence: {@code cats.yaml:7: pipeline.colour: unknown key 'colour'
 * (expected one of combine, window)}. Nothing else in Tidemark touches SnakeYAML's node classes.
 */
package dev.tidemark.core.yaml;
