package com.example.shop.product.product.web;

import org.springframework.stereotype.Component;

import com.example.shop.product.product.domain.ProductService;
import com.example.shop.web.filter.FilterDocumentation;
import com.example.shop.web.filter.FilterableField;
import com.example.shop.web.filter.FilterableFields;

/**
 * The filters of the owners' products ({@link OwnedProductsController}) in the API document: those of a page of
 * products but {@code userId}, which here lists the owners and is described with them (its {@code eq} and
 * {@code in} choose among the owners).
 */
@Component
class OwnedProductsDocumentation extends FilterDocumentation {

    OwnedProductsDocumentation() {
        super("/products/owned", FilterableFields.of(ProductService.FILTERABLE.all().stream()
                .filter(field -> !field.name().equals("userId")).toArray(FilterableField[]::new)));
    }
}
