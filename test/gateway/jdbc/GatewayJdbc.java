// A JDBC client for test/gateway/jdbc.test.ts, run with Debian's PostgreSQL JDBC driver (libpostgresql-jdbc-java)
// and the JDK's single-file source launcher. It runs the steps a JDBC application and a tool like DBeaver take and
// prints one line per step, `step<TAB>ok<TAB>result` or `step<TAB>error<TAB>SQLSTATE<TAB>message`, so the test can
// assert on what the driver saw. URL, user and password come from the environment, never from the command line.
import java.sql.*;
import java.util.*;

public class GatewayJdbc {
  static void print(String step, String result) {
    System.out.println(step + "\tok\t" + result);
  }

  static void printError(String step, SQLException e) {
    System.out.println(step + "\terror\t" + e.getSQLState() + "\t" + String.valueOf(e.getMessage()).replace('\n', ' '));
  }

  interface Step {
    String run() throws SQLException;
  }

  static void step(String name, Step body) {
    try {
      print(name, body.run());
    } catch (SQLException e) {
      printError(name, e);
    }
  }

  public static void main(String[] args) throws Exception {
    Properties props = new Properties();
    props.setProperty("user", System.getenv("GW_USER"));
    props.setProperty("password", System.getenv("GW_PASSWORD"));
    props.setProperty("sslmode", "disable");
    props.setProperty("ApplicationName", "gateway-jdbc-test");
    String table = System.getenv("GW_TABLE");
    try (Connection c = DriverManager.getConnection(System.getenv("GW_URL"), props)) {
      print("connect", c.getMetaData().getDatabaseProductVersion());
      step("statement", () -> {
        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("select 40 + 2 as answer")) {
          r.next();
          return String.valueOf(r.getInt(1));
        }
      });
      // The driver switches to a named server-side statement (and binary results) from the fifth execution on.
      step("prepared", () -> {
        StringBuilder out = new StringBuilder();
        try (PreparedStatement p = c.prepareStatement("select id, note, amount from " + table + " where id = ?")) {
          for (int i = 1; i <= 8; i++) {
            p.setInt(1, i % 3 + 1);
            try (ResultSet r = p.executeQuery()) {
              while (r.next()) out.append(r.getInt(1)).append(':').append(r.getString(2)).append(':').append(r.getBigDecimal(3)).append(' ');
            }
          }
        }
        return out.toString().trim();
      });
      step("refused", () -> {
        try (Statement s = c.createStatement()) {
          return String.valueOf(s.executeUpdate("delete from " + table));
        }
      });
      step("after-refusal", () -> {
        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("select count(*) from " + table)) {
          r.next();
          return String.valueOf(r.getLong(1));
        }
      });
      step("transaction", () -> {
        c.setAutoCommit(false);
        try (PreparedStatement p = c.prepareStatement("insert into " + table + " (id, note, amount) values (?, ?, ?)")) {
          p.setInt(1, 10);
          p.setString(2, "in a transaction");
          p.setBigDecimal(3, new java.math.BigDecimal("1.50"));
          p.executeUpdate();
          c.rollback();
        } finally {
          c.setAutoCommit(true);
        }
        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("select count(*) from " + table + " where id = 10")) {
          r.next();
          return "rolled back, " + r.getLong(1) + " left";
        }
      });
      // A batch goes as one pipeline with no Sync between its statements: the refused one fails the batch.
      step("batch", () -> {
        try (Statement s = c.createStatement()) {
          s.addBatch("insert into " + table + " (id, note, amount) values (20, 'batch', 2)");
          s.addBatch("delete from " + table + " where id = 1");
          s.addBatch("insert into " + table + " (id, note, amount) values (21, 'batch', 3)");
          return Arrays.toString(s.executeBatch());
        }
      });
      step("after-batch", () -> {
        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("select count(*) from " + table)) {
          r.next();
          return String.valueOf(r.getLong(1));
        }
      });
      step("metadata", () -> {
        StringBuilder out = new StringBuilder();
        try (ResultSet r = c.getMetaData().getColumns(null, null, table, null)) {
          while (r.next()) out.append(r.getString("COLUMN_NAME")).append(' ');
        }
        return out.toString().trim();
      });
      step("valid", () -> String.valueOf(c.isValid(2)));
    } catch (SQLException e) {
      printError("connect", e);
    }
  }
}
