package dev.cacheops.store;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.util.Collection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;

/**
 * The trust settings of a {@code rediss://} store, one source for both clients: the certificates
 * trusted to sign the server's (a PEM file, e.g. a private CA), or the JVM's default trust store
 * when none is given. Lettuce gets the {@link TrustManagerFactory}, Jedis an
 * {@link SSLSocketFactory} over the same one, and both verify the server's host name against its
 * certificate (Lettuce's default; Jedis is told so by {@link #sslParameters()}). Immutable.
 */
final class RedisTls {
    private final TrustManagerFactory trust;
    private final SSLSocketFactory socketFactory;

    private RedisTls(TrustManagerFactory trust, SSLSocketFactory socketFactory) {
        this.trust = trust;
        this.socketFactory = socketFactory;
    }

    /**
     * Loads the PEM file's certificates (one or more) as the only trusted ones; {@code null}: the
     * JVM's default trust store.
     *
     * @throws IllegalArgumentException naming the file when it cannot be read or holds no certificate
     */
    static RedisTls trusting(Path pemFile) {
        try {
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            if (pemFile == null) {
                tmf.init((KeyStore) null);
            } else {
                tmf.init(keyStore(pemFile));
            }
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, tmf.getTrustManagers(), null);
            return new RedisTls(tmf, context.getSocketFactory());
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("trustedCa: cannot use " + pemFile + " (" + e.getMessage() + ")", e);
        }
    }

    private static KeyStore keyStore(Path pemFile) throws GeneralSecurityException {
        Collection<? extends Certificate> certs;
        try (InputStream in = Files.newInputStream(pemFile)) {
            certs = CertificateFactory.getInstance("X.509").generateCertificates(in);
        } catch (IOException e) {
            throw new IllegalArgumentException("trustedCa: cannot read " + pemFile + " (" + e + ")", e);
        }
        if (certs.isEmpty()) {
            throw new IllegalArgumentException("trustedCa: no PEM certificate in " + pemFile);
        }
        KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
        try {
            ks.load(null, null);
        } catch (IOException e) {
            throw new IllegalStateException(e); // an empty in-memory store reads nothing
        }
        int i = 0;
        for (Certificate c : certs) {
            ks.setCertificateEntry("ca-" + i++, c);
        }
        return ks;
    }

    /** For Lettuce's {@code SslOptions}. */
    TrustManagerFactory trustManagerFactory() {
        return trust;
    }

    /** For Jedis: sockets that trust what Lettuce trusts. */
    SSLSocketFactory socketFactory() {
        return socketFactory;
    }

    /** For Jedis: check the host name against the certificate, as Lettuce does by default. */
    static SSLParameters sslParameters() {
        SSLParameters p = new SSLParameters();
        p.setEndpointIdentificationAlgorithm("HTTPS");
        return p;
    }

    /** Whether a failure was a TLS one (handshake, untrusted certificate, wrong host name). */
    static boolean isTlsFailure(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SSLException || t instanceof CertificateException) {
                return true;
            }
        }
        return false;
    }
}
