package dev.weft.collectors.internal;

import dev.weft.spi.ConnectionStrings;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * TLS settings shared by the collectors: trust anchors from a PEM file (else the JVM's default
 * trust store) and host-name verification, on unless a connection string turns it off.
 */
final class Tls {
  private Tls() {}

  /**
   * An SSL context trusting the certificates of a PEM (or DER) file, or the JVM's default context
   * when {@code caFile} is null or empty.
   */
  static SSLContext context(String caFile) {
    try {
      if (caFile == null || caFile.isEmpty()) {
        return SSLContext.getDefault();
      }
      Collection<? extends Certificate> certs;
      try (InputStream in = Files.newInputStream(Path.of(caFile))) {
        certs = CertificateFactory.getInstance("X.509").generateCertificates(in);
      }
      if (certs.isEmpty()) {
        throw new IllegalArgumentException("no certificate in CA file " + caFile);
      }
      KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
      trust.load(null, null);
      int i = 0;
      for (Certificate c : certs) {
        trust.setCertificateEntry("ca-" + i++, c);
      }
      TrustManagerFactory tmf =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(trust);
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(null, tmf.getTrustManagers(), null);
      return ctx;
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalArgumentException("cannot read CA file " + caFile + ": " + e, e);
    }
  }

  /**
   * The trust manager of the certificates of a PEM (or DER) file, or the JVM's default one when
   * {@code caFile} is null or empty: for clients (OkHttp) that take a socket factory and its trust
   * manager together.
   */
  static X509TrustManager trustManager(String caFile) {
    try {
      KeyStore trust = null;
      if (caFile != null && !caFile.isEmpty()) {
        Collection<? extends Certificate> certs;
        try (InputStream in = Files.newInputStream(Path.of(caFile))) {
          certs = CertificateFactory.getInstance("X.509").generateCertificates(in);
        }
        if (certs.isEmpty()) {
          throw new IllegalArgumentException("no certificate in CA file " + caFile);
        }
        trust = KeyStore.getInstance(KeyStore.getDefaultType());
        trust.load(null, null);
        int i = 0;
        for (Certificate c : certs) {
          trust.setCertificateEntry("ca-" + i++, c);
        }
      }
      TrustManagerFactory tmf =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(trust);
      for (TrustManager tm : tmf.getTrustManagers()) {
        if (tm instanceof X509TrustManager x) {
          return x;
        }
      }
      throw new IllegalStateException("no X.509 trust manager");
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalArgumentException("cannot read CA file " + caFile + ": " + e, e);
    }
  }

  /** An SSL context that trusts what {@code tm} trusts. */
  static SSLContext context(X509TrustManager tm) {
    try {
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(null, new TrustManager[] {tm}, null);
      return ctx;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * The HTTP(S) URL of an exporter's connection string: {@code scheme://host[:port][/path]} to
   * {@code http://} ({@code https://} when the scheme is {@code tlsScheme}, default port 443), with
   * the default port and path when the string has none; an IPv6 host in brackets.
   */
  static String httpEndpoint(
      String cs, String what, String tlsScheme, int defaultPort, String defaultPath) {
    URI uri;
    try {
      uri = URI.create(cs);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "bad " + what + " connection string: " + ConnectionStrings.redact(cs));
    }
    if (uri.getHost() == null) {
      throw new IllegalArgumentException(
          what
              + " connection string needs "
              + uri.getScheme()
              + "://host:port: "
              + ConnectionStrings.redact(cs));
    }
    boolean https = tlsScheme.equalsIgnoreCase(uri.getScheme());
    int port = uri.getPort() < 0 ? (https ? 443 : defaultPort) : uri.getPort();
    String path =
        uri.getRawPath() == null || uri.getRawPath().isEmpty() ? defaultPath : uri.getRawPath();
    String host =
        uri.getHost().contains(":") && !uri.getHost().startsWith("[")
            ? "[" + uri.getHost() + "]"
            : uri.getHost();
    return (https ? "https://" : "http://") + host + ":" + port + path;
  }

  /** Parameters that make the handshake check the server's name against its certificate. */
  static SSLParameters verifyingHostName() {
    SSLParameters p = new SSLParameters();
    p.setEndpointIdentificationAlgorithm("HTTPS");
    return p;
  }

  /** The query parameters of a connection string, names lower-cased, values decoded. */
  static Map<String, String> query(String rawQuery) {
    Map<String, String> m = new LinkedHashMap<>();
    if (rawQuery == null || rawQuery.isEmpty()) {
      return m;
    }
    for (String part : rawQuery.split("[&;]")) {
      if (part.isEmpty()) {
        continue;
      }
      int eq = part.indexOf('=');
      String name = eq < 0 ? part : part.substring(0, eq);
      String value = eq < 0 ? "" : part.substring(eq + 1);
      m.put(
          URLDecoder.decode(name, StandardCharsets.UTF_8).toLowerCase(Locale.ROOT),
          URLDecoder.decode(value.replace("+", "%2B"), StandardCharsets.UTF_8));
    }
    return m;
  }

  /** A yes/no option: {@code true/false}, {@code yes/no}, {@code 1/0}, {@code on/off}. */
  static boolean flag(Map<String, String> q, String name, boolean dflt, String cs) {
    String v = q.get(name);
    if (v == null) {
      return dflt;
    }
    switch (v.trim().toLowerCase(Locale.ROOT)) {
      case "true":
      case "yes":
      case "1":
      case "on":
        return true;
      case "false":
      case "no":
      case "0":
      case "off":
        return false;
      default:
        throw new IllegalArgumentException(name + " must be true or false, not '" + v + "': " + cs);
    }
  }
}
