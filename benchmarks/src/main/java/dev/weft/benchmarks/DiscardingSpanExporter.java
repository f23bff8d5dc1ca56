package dev.weft.benchmarks;

import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.util.Collection;
import java.util.concurrent.atomic.LongAdder;

/** The OpenTelemetry peer of {@code discard://}: counts the spans it is given, keeps none. */
final class DiscardingSpanExporter implements SpanExporter {
  final LongAdder spans = new LongAdder();

  @Override
  public CompletableResultCode export(Collection<SpanData> batch) {
    spans.add(batch.size());
    return CompletableResultCode.ofSuccess();
  }

  @Override
  public CompletableResultCode flush() {
    return CompletableResultCode.ofSuccess();
  }

  @Override
  public CompletableResultCode shutdown() {
    return CompletableResultCode.ofSuccess();
  }
}
