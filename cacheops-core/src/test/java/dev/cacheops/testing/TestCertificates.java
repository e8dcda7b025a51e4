package dev.cacheops.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A throwaway certificate authority and a server certificate it signs for {@code 127.0.0.1} and
 * {@code localhost}, made with the {@code openssl} command line tool into a temporary directory,
 * for tests of TLS to Redis. Each call to {@link #create()} makes a new, unrelated CA.
 *
 * @param caCert     the CA's certificate (PEM), what a client is told to trust
 * @param serverCert the server's certificate (PEM), signed by the CA
 * @param serverKey  the server's private key (PEM)
 */
public record TestCertificates(Path caCert, Path serverCert, Path serverKey) {

    /** Makes a new CA and server certificate; throws when {@code openssl} is missing or fails. */
    public static TestCertificates create() {
        return create("IP:127.0.0.1,DNS:localhost");
    }

    /**
     * The same with the server certificate naming only {@code subjectAltNames} (openssl syntax,
     * e.g. {@code DNS:redis.example}), for tests of host name verification.
     */
    public static TestCertificates create(String subjectAltNames) {
        return create(subjectAltNames, "serverAuth");
    }

    /**
     * For a TLS Redis Cluster: the server certificate is also a client certificate
     * ({@code clientAuth}), because the nodes present it to each other on the cluster bus, which
     * always verifies the peer, and to their masters.
     */
    public static TestCertificates forCluster() {
        return create("IP:127.0.0.1,DNS:localhost", "serverAuth,clientAuth");
    }

    private static TestCertificates create(String subjectAltNames, String extendedKeyUsage) {
        try {
            Path dir = Files.createTempDirectory("cacheops-tls");
            Path ext = dir.resolve("server.ext");
            Files.writeString(ext, "subjectAltName=" + subjectAltNames + "\n"
                    + "extendedKeyUsage=" + extendedKeyUsage + "\n");
            String ec = "ec";
            run(dir, "openssl", "req", "-x509", "-newkey", ec, "-pkeyopt", "ec_paramgen_curve:prime256v1",
                    "-nodes", "-keyout", "ca.key", "-out", "ca.crt", "-days", "2", "-subj", "/CN=cacheops test CA");
            run(dir, "openssl", "req", "-newkey", ec, "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                    "-keyout", "server.key", "-out", "server.csr", "-subj", "/CN=localhost");
            run(dir, "openssl", "x509", "-req", "-in", "server.csr", "-CA", "ca.crt", "-CAkey", "ca.key",
                    "-CAcreateserial", "-out", "server.crt", "-days", "2", "-extfile", ext.toString());
            return new TestCertificates(dir.resolve("ca.crt"), dir.resolve("server.crt"), dir.resolve("server.key"));
        } catch (IOException e) {
            throw new IllegalStateException("cannot make test certificates", e);
        }
    }

    private static void run(Path dir, String... command) throws IOException {
        Path out = dir.resolve("openssl.log");
        Process p = new ProcessBuilder(new ArrayList<>(List.of(command))).directory(dir.toFile())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(out.toFile())).start();
        try {
            if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " failed: " + Files.readString(out));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
