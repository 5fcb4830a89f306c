package com.example.shop.gateway.populate;

/**
 * How the documents of each resource are fetched for populate: by id, and for list fields by a reference
 * field. The gateway's are its backends' batch lookups ({@code remote.ResourceLookups}).
 */
public interface ResourceFetchers {

    /** The fetcher of {@code resource}'s documents by id; the resource has a lookup. */
    DocumentFetcher documents(String resource);

    /** The fetcher of the lists of {@code resource}'s documents that list fields gather. */
    ListFetcher lists(String resource);
}
