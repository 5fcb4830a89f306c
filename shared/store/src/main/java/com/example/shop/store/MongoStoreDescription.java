package com.example.shop.store;

/**
 * What store this process talks to, for start-up logs and health details.
 *
 * @param kind     {@code embedded-file}, {@code embedded-memory} or {@code mongodb}
 * @param address  host:port list of the servers (never credentials)
 * @param database the database name
 * @param location the data file of the embedded file store, otherwise {@code null}
 */
public record MongoStoreDescription(String kind, String address, String database, String location) {

    @Override
    public String toString() {
        return kind + " at " + address + "/" + database + (location == null ? "" : " (data file " + location + ")");
    }
}
