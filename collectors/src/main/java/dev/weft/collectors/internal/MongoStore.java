package dev.weft.collectors.internal;

import com.mongodb.ConnectionString;
import com.mongodb.MongoClientSettings;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Accumulators;
import com.mongodb.client.model.Aggregates;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.Projections;
import com.mongodb.client.model.ReplaceOneModel;
import com.mongodb.client.model.ReplaceOptions;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.WriteModel;
import dev.weft.collectors.WeftCollectorFactory;
import dev.weft.spi.Collector;
import dev.weft.spi.ConnectionStrings;
import dev.weft.spi.Event;
import dev.weft.spi.TraceReader;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.bson.Document;
import org.bson.json.JsonMode;
import org.bson.json.JsonWriterSettings;

/**
 * {@code mongodb://}: OSProfiler's MongoDB layout (osprofiler/drivers/mongodb.py): database {@code
 * osprofiler}, collection {@code profiler} with one document per event (the event's JSON object),
 * and with {@code filter_error_trace} collection {@code profiler_error} holding one {@code
 * {base_id, timestamp}} document per trace with an error (upserted, as OSProfiler does).
 *
 * <p>A batch is one {@code insertMany}. An ascending index on {@code base_id} is created before the
 * first batch is stored (OSProfiler creates none; reading a trace back scans without it). Server
 * selection, connect and read timeouts are {@value WeftCollectorFactory#TIMEOUT_MILLIS} ms unless
 * the connection string sets them, so a server that is down fails a batch instead of blocking; the
 * driver reconnects in the background.
 */
public final class MongoStore implements Collector, TraceReader {
  public static final String DATABASE = "osprofiler";
  public static final String EVENTS = "profiler";
  public static final String ERRORS = "profiler_error";
  private static final JsonWriterSettings JSON =
      JsonWriterSettings.builder().outputMode(JsonMode.RELAXED).build();

  private final MongoClient client;
  private final MongoCollection<Document> events;
  private final MongoCollection<Document> errors;
  private final boolean filterErrors;
  private boolean indexed;

  private MongoStore(String cs, boolean filterErrors) {
    ConnectionString conn;
    String caFile = option(cs, "tlsCAFile");
    try {
      conn = new ConnectionString(withoutOption(cs, "tlsCAFile"));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "bad MongoDB connection string: "
              + ConnectionStrings.redact(cs)
              + " ("
              + e.getMessage()
              + ")");
    }
    int t = WeftCollectorFactory.TIMEOUT_MILLIS;
    MongoClientSettings settings =
        MongoClientSettings.builder()
            .applyToClusterSettings(b -> b.serverSelectionTimeout(t, TimeUnit.MILLISECONDS))
            .applyToSocketSettings(
                b ->
                    b.connectTimeout(t, TimeUnit.MILLISECONDS)
                        .readTimeout(t, TimeUnit.MILLISECONDS))
            .applyToConnectionPoolSettings(b -> b.maxWaitTime(t, TimeUnit.MILLISECONDS))
            // settings the connection string names win over the defaults above
            .applyConnectionString(conn)
            .applyToSslSettings(
                b -> {
                  if (caFile != null) {
                    b.context(Tls.context(caFile));
                  }
                })
            .build();
    this.client = MongoClients.create(settings);
    MongoDatabase db = client.getDatabase(DATABASE);
    this.events = db.getCollection(EVENTS);
    this.errors = db.getCollection(ERRORS);
    this.filterErrors = filterErrors;
  }

  /**
   * The value of a query option of a connection string (name compared ignoring case), or null.
   * {@code tlsCAFile} is pymongo's option for PEM trust anchors; the Java driver has no such
   * option, so it is taken out here and turned into an SSL context.
   */
  static String option(String cs, String name) {
    int q = cs.indexOf('?');
    return q < 0 ? null : Tls.query(cs.substring(q + 1)).get(name.toLowerCase(Locale.ROOT));
  }

  static String withoutOption(String cs, String name) {
    int q = cs.indexOf('?');
    if (q < 0) {
      return cs;
    }
    StringBuilder kept = new StringBuilder();
    for (String part : cs.substring(q + 1).split("&")) {
      int eq = part.indexOf('=');
      String n = eq < 0 ? part : part.substring(0, eq);
      if (!n.equalsIgnoreCase(name) && !part.isEmpty()) {
        kept.append(kept.length() == 0 ? "" : "&").append(part);
      }
    }
    return cs.substring(0, q) + (kept.length() == 0 ? "" : "?" + kept);
  }

  public static Collector collector(String connectionString, boolean filterErrors) {
    return new MongoStore(connectionString, filterErrors);
  }

  public static TraceReader reader(String connectionString) {
    return new MongoStore(connectionString, false);
  }

  // ---- collector ----

  @Override
  public void store(List<Event> batch) {
    if (batch.isEmpty()) {
      return;
    }
    if (!indexed) {
      events.createIndex(Indexes.ascending("base_id"));
      indexed = true;
    }
    List<Document> docs = new ArrayList<>(batch.size());
    Map<String, String> errorTraces = new LinkedHashMap<>();
    for (Event e : batch) {
      docs.add(Document.parse(e.json()));
      if (filterErrors && e.error()) {
        errorTraces.put(e.baseId(), e.timestamp());
      }
    }
    events.insertMany(docs);
    if (!errorTraces.isEmpty()) {
      List<WriteModel<Document>> upserts = new ArrayList<>();
      errorTraces.forEach(
          (base, ts) ->
              upserts.add(
                  new ReplaceOneModel<>(
                      Filters.eq("base_id", base),
                      new Document("base_id", base).append("timestamp", ts),
                      new ReplaceOptions().upsert(true))));
      errors.bulkWrite(upserts);
    }
  }

  // ---- reader ----

  @Override
  public List<TraceSummary> list(boolean errorsOnly) {
    List<TraceSummary> out = new ArrayList<>();
    if (errorsOnly) {
      for (Document d :
          errors
              .find()
              .projection(Projections.fields(Projections.include("base_id", "timestamp")))
              .sort(Sorts.ascending("timestamp", "base_id"))) {
        out.add(new TraceSummary(String.valueOf(d.get("base_id")), d.getString("timestamp")));
      }
      return out;
    }
    for (Document d :
        events.aggregate(
            List.of(
                Aggregates.group("$base_id", Accumulators.min("timestamp", "$timestamp")),
                Aggregates.sort(Sorts.ascending("timestamp", "_id"))))) {
      Object ts = d.get("timestamp");
      out.add(new TraceSummary(String.valueOf(d.get("_id")), ts == null ? null : ts.toString()));
    }
    return out;
  }

  /**
   * The events of one trace in natural order, as OSProfiler's report reads them ({@code
   * find({"base_id": id})} without a sort): the report's key order and the order of siblings that
   * start in the same millisecond depend on it.
   */
  @Override
  public List<String> events(String baseId) {
    List<String> out = new ArrayList<>();
    for (Document d : events.find(Filters.eq("base_id", baseId))) {
      d.remove("_id");
      out.add(d.toJson(JSON));
    }
    return out;
  }

  @Override
  public void close() {
    client.close();
  }
}
