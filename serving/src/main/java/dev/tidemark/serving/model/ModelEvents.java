package dev.tidemark.serving.model;

/** What the registry reports as it works: loads, refusals and batch sizes (for metrics). */
public interface ModelEvents {

  /** A version was loaded and now serves. */
  void loaded(ServedModel model);

  /** A version was refused (broken artifact) or could not be read. */
  void refused(String model, String version);

  /** One XGBoost call scored {@code rows} rows for {@code model}. */
  void batch(String model, int rows);

  /** Events that go nowhere. */
  ModelEvents NONE =
      new ModelEvents() {
        @Override
        public void loaded(ServedModel model) {}

        @Override
        public void refused(String model, String version) {}

        @Override
        public void batch(String model, int rows) {}
      };
}
