package com.example.shop.product.product.web;

import org.springframework.stereotype.Component;

import com.example.shop.product.product.domain.ProductService;
import com.example.shop.web.filter.FilterDocumentation;

/** The filters of a page of products ({@link ProductService#FILTERABLE}) in the API document. */
@Component
class ProductFilterDocumentation extends FilterDocumentation {

    ProductFilterDocumentation() {
        super("/products", ProductService.FILTERABLE);
    }
}
