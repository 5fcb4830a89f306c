package com.example.shop.web;

import java.beans.PropertyEditorSupport;
import java.util.regex.Pattern;

import org.springframework.web.bind.WebDataBinder;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.InitBinder;

/**
 * Integer parameters ({@code page=2}) as plain decimal digits: an optional {@code -}, then no leading
 * zero. Spring's own conversion also reads {@code 0x10} and {@code #10} as hexadecimal, {@code 010} as ten,
 * {@code +5} and {@code " 5"} as five, and digits of other scripts; here each of those fails, and the
 * services answer a 400 naming the parameter. An empty value stays "no value" (the parameter's default
 * applies).
 * <p>
 * A property editor on every binder, not a converter: when a converter of the conversion service fails,
 * Spring's binder falls back to its default number editor, which reads hexadecimal.
 */
@ControllerAdvice
public class StrictIntegers {

    public static final String MESSAGE = "must be a whole number in plain decimal digits";

    private static final Pattern DECIMAL = Pattern.compile("0|-?[1-9][0-9]{0,18}");

    @InitBinder
    public void strictIntegers(WebDataBinder binder) {
        binder.registerCustomEditor(int.class, new Editor(false));
        binder.registerCustomEditor(Integer.class, new Editor(false));
        binder.registerCustomEditor(long.class, new Editor(true));
        binder.registerCustomEditor(Long.class, new Editor(true));
    }

    /** {@code value} as a long, if it is plain decimal digits; a {@link NumberFormatException} otherwise. */
    public static long parse(String value) {
        if (value == null || !DECIMAL.matcher(value).matches()) {
            throw new NumberFormatException(MESSAGE + ", not '" + value + "'");
        }
        return Long.parseLong(value);
    }

    static final class Editor extends PropertyEditorSupport {

        private final boolean wide;

        Editor(boolean wide) {
            this.wide = wide;
        }

        @Override
        public void setAsText(String text) {
            if (text == null || text.isEmpty()) {
                setValue(null);
                return;
            }
            long value = parse(text);
            if (!wide && (value < Integer.MIN_VALUE || value > Integer.MAX_VALUE)) {
                throw new NumberFormatException(MESSAGE + " within the range of an int, not '" + text + "'");
            }
            setValue(wide ? (Object) value : (Object) (int) value);
        }
    }
}
