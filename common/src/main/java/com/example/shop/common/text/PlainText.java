package com.example.shop.common.text;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.Locale;

import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;

/**
 * Text a person reads: no control characters (Unicode category Cc, such as NUL), no format characters
 * (Cf: zero-width space and joiners, bidirectional controls, the byte order mark, soft hyphen), and no
 * unpaired surrogates (which the store would turn into U+FFFD). A single-line text also refuses the line
 * and paragraph separators; a {@linkplain #multiline() multi-line} one allows line feed, carriage return
 * and tab. Null is valid. The message names the first offending character.
 */
@Documented
@Constraint(validatedBy = PlainText.Validator.class)
@Target({ElementType.FIELD, ElementType.PARAMETER, ElementType.RECORD_COMPONENT, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
public @interface PlainText {

    /** Whether {@code \n}, {@code \r} and {@code \t} may appear (a description, not a name). */
    boolean multiline() default false;

    String message() default "must not contain control or formatting characters or unpaired surrogates";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};

    class Validator implements ConstraintValidator<PlainText, String> {

        private boolean multiline;

        @Override
        public void initialize(PlainText annotation) {
            this.multiline = annotation.multiline();
        }

        @Override
        public boolean isValid(String value, ConstraintValidatorContext context) {
            String problem = firstProblem(value, multiline);
            if (problem == null) {
                return true;
            }
            context.disableDefaultConstraintViolation();
            context.buildConstraintViolationWithTemplate("must not contain " + problem).addConstraintViolation();
            return false;
        }

        /** What is wrong with the first character {@code value} may not hold, or null if there is none. */
        static String firstProblem(String value, boolean multiline) {
            if (value == null) {
                return null;
            }
            for (int i = 0; i < value.length(); ) {
                int c = value.codePointAt(i);
                switch (Character.getType(c)) {
                    // codePointAt returns a surrogate only when it is not half of a pair
                    case Character.SURROGATE -> {
                        return "an unpaired surrogate (" + hex(c) + ")";
                    }
                    case Character.CONTROL -> {
                        if (!(multiline && (c == '\n' || c == '\r' || c == '\t'))) {
                            return "the control character " + hex(c);
                        }
                    }
                    case Character.FORMAT -> {
                        return "the invisible formatting character " + hex(c);
                    }
                    case Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR -> {
                        if (!multiline) {
                            return "the line break " + hex(c);
                        }
                    }
                    default -> {
                    }
                }
                i += Character.charCount(c);
            }
            return null;
        }

        private static String hex(int codePoint) {
            return String.format(Locale.ROOT, "U+%04X", codePoint);
        }
    }
}
