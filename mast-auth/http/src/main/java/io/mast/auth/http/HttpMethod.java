package io.mast.auth.http;

/** The method of a request to the service: {@code get} (values in the URL's query) or {@code post} (in the body). */
public enum HttpMethod { GET, POST }
