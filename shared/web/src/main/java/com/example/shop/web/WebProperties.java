package com.example.shop.web;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/** @param maxBodySize the largest request body accepted; larger ones get 413 */
@ConfigurationProperties("shop.web")
public record WebProperties(@DefaultValue("64KB") DataSize maxBodySize) {
}
