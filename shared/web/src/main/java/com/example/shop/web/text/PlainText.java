package com.example.shop.web.text;

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
 * (Cf: zero-width space and joiners, bidirectional controls, the byte order mark, soft hyphen), no unpaired
 * surrogates (which the store would turn into U+FFFD) and no noncharacters (U+FDD0–U+FDEF and the last two code
 * points of every plane, U+FFFE, U+FFFF, U+1FFFE, …: code points Unicode promises never to assign, kept for a
 * program's internal use). And at least one visible character: a text made only of white space and
 * {@linkplain #invisible invisible or blank-looking} characters (the Hangul fillers U+3164 and U+FFA0, the
 * braille blank U+2800, the ideographic space U+3000, variation selectors, lone combining marks) looks empty
 * though it is not; such characters are fine next to visible ones. A single-line text also refuses the line
 * and paragraph separators; a {@linkplain #multiline() multi-line} one allows line feed, carriage return and tab.
 * Null and the empty string are valid here (whether a value is required is another constraint's). The message
 * names the first offending character.
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

        static final String NOTHING_VISIBLE = "must contain a visible character, not only spaces and blank-looking "
                + "characters";

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
            context.buildConstraintViolationWithTemplate(problem).addConstraintViolation();
            return false;
        }

        /** What is wrong with {@code value} (its first character it may not hold, or nothing visible), or null. */
        static String firstProblem(String value, boolean multiline) {
            if (value == null || value.isEmpty()) {
                return null;
            }
            boolean visible = false;
            for (int i = 0; i < value.length(); ) {
                int c = value.codePointAt(i);
                String refused = refused(c, multiline);
                if (refused != null) {
                    return "must not contain " + refused;
                }
                visible |= !invisible(c);
                i += Character.charCount(c);
            }
            return visible ? null : NOTHING_VISIBLE;
        }

        /** What {@code c} is, if a text may not hold it; null if it may. */
        private static String refused(int c, boolean multiline) {
            if (isNoncharacter(c)) {
                return "the noncharacter " + hex(c);
            }
            return switch (Character.getType(c)) {
                // codePointAt returns a surrogate only when it is not half of a pair
                case Character.SURROGATE -> "an unpaired surrogate (" + hex(c) + ")";
                case Character.CONTROL -> multiline && (c == '\n' || c == '\r' || c == '\t') ? null
                        : "the control character " + hex(c);
                case Character.FORMAT -> "the invisible formatting character " + hex(c);
                case Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR -> multiline ? null : "the line break " + hex(c);
                default -> null;
            };
        }

        /** U+FDD0–U+FDEF, and U+xxFFFE and U+xxFFFF in every plane. */
        static boolean isNoncharacter(int c) {
            return (c >= 0xFDD0 && c <= 0xFDEF) || (c & 0xFFFE) == 0xFFFE;
        }

        /**
         * Whether {@code c} shows nothing on its own: white space and the other separators (the no-break and
         * ideographic spaces too), the control and format characters, the combining marks that need a letter to
         * sit on (Mn, Me), Unicode's Default_Ignorable_Code_Point characters (Hangul fillers, variation selectors,
         * the combining grapheme joiner, …; the Cf among them are refused anyway) and the braille blank.
         */
        static boolean invisible(int c) {
            return switch (Character.getType(c)) {
                case Character.SPACE_SEPARATOR, Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR,
                        Character.CONTROL, Character.FORMAT, Character.SURROGATE,
                        Character.NON_SPACING_MARK, Character.ENCLOSING_MARK -> true;
                default -> c == 0x2800 || isDefaultIgnorable(c);
            };
        }

        /**
         * Default_Ignorable_Code_Point, from Unicode's DerivedCoreProperties.txt (15.1): the ranges that are
         * not format characters, which {@link #refused} names on their own.
         */
        private static boolean isDefaultIgnorable(int c) {
            return c == 0x034F                       // combining grapheme joiner
                    || c == 0x115F || c == 0x1160    // Hangul choseong and jungseong fillers
                    || c == 0x17B4 || c == 0x17B5    // Khmer inherent vowels
                    || (c >= 0x180B && c <= 0x180F)  // Mongolian free variation selectors and vowel separator
                    || c == 0x3164                   // Hangul filler
                    || (c >= 0xFE00 && c <= 0xFE0F)  // variation selectors
                    || c == 0xFFA0                   // halfwidth Hangul filler
                    || (c >= 0x2060 && c <= 0x206F)  // word joiner, invisible operators, reserved
                    || (c >= 0xFFF0 && c <= 0xFFF8)  // reserved
                    || (c >= 0xE0000 && c <= 0xE0FFF); // tags, variation selectors supplement, reserved
        }

        private static String hex(int codePoint) {
            return String.format(Locale.ROOT, "U+%04X", codePoint);
        }
    }
}
