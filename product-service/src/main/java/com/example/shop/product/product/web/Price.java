package com.example.shop.product.product.web;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import jakarta.validation.Constraint;
import jakarta.validation.Payload;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Digits;

/** A price: 0 to 1,000,000 with at most two decimal places; null is valid. */
@Documented
@Constraint(validatedBy = {})
@DecimalMin(value = "0", message = "must be at least 0")
@DecimalMax(value = "1000000", message = "must be at most 1000000")
@Digits(integer = Integer.MAX_VALUE, fraction = 2, message = "must have at most 2 decimal places")
@Target({ElementType.FIELD, ElementType.PARAMETER, ElementType.RECORD_COMPONENT, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
public @interface Price {

    String message() default "must be a price";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};
}
