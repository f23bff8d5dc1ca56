package dev.weft.testapp.storage;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Messages in a SQL database through plain JDBC and HikariCP: table {@code weft_messages(id, queue,
 * body, ttl, created, expires)}, created when missing (H2 or PostgreSQL).
 */
final class SqlMessageStore implements MessageStore {
  private final HikariDataSource ds;

  SqlMessageStore(String jdbcUrl) {
    HikariConfig hc = new HikariConfig();
    hc.setJdbcUrl(jdbcUrl);
    hc.setPoolName("messages-" + Integer.toHexString(jdbcUrl.hashCode()));
    hc.setMaximumPoolSize(4);
    hc.setMinimumIdle(1);
    hc.setConnectionTimeout(5000);
    this.ds = new HikariDataSource(hc);
    try (Connection c = ds.getConnection();
        Statement s = c.createStatement()) {
      s.execute(
          "CREATE TABLE IF NOT EXISTS weft_messages (id VARCHAR(36) PRIMARY KEY,"
              + " queue VARCHAR(64) NOT NULL, body VARCHAR(300000) NOT NULL, ttl INT NOT NULL,"
              + " created BIGINT NOT NULL, expires BIGINT NOT NULL)");
      s.execute("CREATE INDEX IF NOT EXISTS weft_messages_queue ON weft_messages (queue, created)");
    } catch (SQLException e) {
      ds.close();
      throw new IllegalStateException("cannot prepare the message table: " + e.getMessage(), e);
    }
  }

  @Override
  public String kind() {
    return "sql";
  }

  @Override
  public StoredMessage post(String queue, String body, int ttl) {
    long now = PostClock.next();
    String id = UUID.randomUUID().toString();
    try (Connection c = ds.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "INSERT INTO weft_messages (id, queue, body, ttl, created, expires)"
                    + " VALUES (?, ?, ?, ?, ?, ?)")) {
      ps.setString(1, id);
      ps.setString(2, queue);
      ps.setString(3, body);
      ps.setInt(4, ttl);
      ps.setLong(5, now);
      ps.setLong(6, now + ttl * 1000L);
      ps.executeUpdate();
    } catch (SQLException e) {
      throw new IllegalStateException(e.getMessage(), e);
    }
    return new StoredMessage(id, body, ttl, now);
  }

  @Override
  public List<StoredMessage> list(String queue, int limit) {
    List<StoredMessage> out = new ArrayList<>();
    try (Connection c = ds.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT id, body, ttl, created FROM weft_messages WHERE queue = ? AND expires > ?"
                    + " ORDER BY created, id LIMIT ?")) {
      ps.setString(1, queue);
      ps.setLong(2, System.currentTimeMillis());
      ps.setInt(3, limit);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(new StoredMessage(rs.getString(1), rs.getString(2), rs.getInt(3), rs.getLong(4)));
        }
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e.getMessage(), e);
    }
    return out;
  }

  @Override
  public StoredMessage get(String queue, String id) {
    try (Connection c = ds.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT id, body, ttl, created FROM weft_messages"
                    + " WHERE queue = ? AND id = ? AND expires > ?")) {
      ps.setString(1, queue);
      ps.setString(2, id);
      ps.setLong(3, System.currentTimeMillis());
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next()
            ? new StoredMessage(rs.getString(1), rs.getString(2), rs.getInt(3), rs.getLong(4))
            : null;
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e.getMessage(), e);
    }
  }

  @Override
  public boolean delete(String queue, String id) {
    return update("DELETE FROM weft_messages WHERE queue = ? AND id = ?", queue, id) > 0;
  }

  @Override
  public void drop(String queue) {
    update("DELETE FROM weft_messages WHERE queue = ?", queue);
  }

  private int update(String sql, String... args) {
    try (Connection c = ds.getConnection();
        PreparedStatement ps = c.prepareStatement(sql)) {
      for (int i = 0; i < args.length; i++) {
        ps.setString(i + 1, args[i]);
      }
      return ps.executeUpdate();
    } catch (SQLException e) {
      throw new IllegalStateException(e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    ds.close();
  }
}
