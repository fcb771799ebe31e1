package io.mast.auth;

import java.net.http.HttpClient;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The JDK's HTTP client as the sources use it: HTTP/1.1 with connections kept alive and reused, a connect timeout,
 * TLS from {@link TlsClient}, and its work on virtual threads. Close the client with the plugin.
 */
public final class HttpClients {

    private HttpClients() {
    }

    /** A client; its files (CA, client certificate) are read now. */
    public static HttpClient create(TlsClient tls, Duration connectTimeout) {
        ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
        return HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .sslContext((tls == null ? TlsClient.DEFAULT : tls).context())
                .executor(executor)
                .build();
    }
}
