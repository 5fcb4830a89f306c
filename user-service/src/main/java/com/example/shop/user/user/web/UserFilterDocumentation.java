package com.example.shop.user.user.web;

import org.springframework.stereotype.Component;

import com.example.shop.user.user.domain.UserService;
import com.example.shop.web.filter.FilterDocumentation;

/** The filters of a page of users ({@link UserService#FILTERABLE}) in the API document. */
@Component
class UserFilterDocumentation extends FilterDocumentation {

    UserFilterDocumentation() {
        super("/users", UserService.FILTERABLE);
    }
}
