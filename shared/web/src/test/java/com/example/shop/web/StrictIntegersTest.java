package com.example.shop.web;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.beans.TypeMismatchException;
import org.springframework.format.support.DefaultFormattingConversionService;
import org.springframework.web.bind.WebDataBinder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The binder as a controller's parameters see it: Spring's conversion service, and these editors. */
class StrictIntegersTest {

    private final WebDataBinder binder = new WebDataBinder(null, "page");

    {
        binder.setConversionService(new DefaultFormattingConversionService());
        new StrictIntegers().strictIntegers(binder);
    }

    @Test
    void plainDecimalDigitsConvert() {
        assertThat(binder.convertIfNecessary("0", int.class)).isZero();
        assertThat(binder.convertIfNecessary("16", Integer.class)).isEqualTo(16);
        assertThat(binder.convertIfNecessary("-1", int.class)).isEqualTo(-1);
        assertThat(binder.convertIfNecessary("2147483647", int.class)).isEqualTo(Integer.MAX_VALUE);
        assertThat(binder.convertIfNecessary("9223372036854775807", Long.class)).isEqualTo(Long.MAX_VALUE);
        assertThat(binder.convertIfNecessary("", Integer.class)).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"0x10", "0X10", "#10", "010", "0010", "+5", " 5", "5 ", "1e2", "1.0", "-0", "--1", "1_000",
            "\u0665", "\uFF15", "2147483648", "99999999999999999999"})
    void anythingElseIsATypeMismatch(String value) {
        assertThatThrownBy(() -> binder.convertIfNecessary(value, int.class)).isInstanceOf(TypeMismatchException.class);
        assertThatThrownBy(() -> binder.convertIfNecessary(value, Integer.class)).isInstanceOf(TypeMismatchException.class);
    }

    @Test
    void withoutTheseEditorsSpringReadsHexadecimal() {
        WebDataBinder plain = new WebDataBinder(null, "page");
        plain.setConversionService(new DefaultFormattingConversionService());
        assertThat(plain.convertIfNecessary("0x10", int.class)).isEqualTo(16);
    }

    @Test
    void longsFollowTheSameRules() {
        assertThat(binder.convertIfNecessary("2147483648", long.class)).isEqualTo(2147483648L);
        assertThatThrownBy(() -> binder.convertIfNecessary("0x10", Long.class)).isInstanceOf(TypeMismatchException.class);
    }
}
