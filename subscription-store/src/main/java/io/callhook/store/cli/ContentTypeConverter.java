package io.callhook.store.cli;

import java.util.Locale;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** {@code json} or {@code form} (or the media type itself) to the media type API.md expects. */
final class ContentTypeConverter implements ITypeConverter<String> {

    static final String JSON = "application/json";
    static final String FORM = "application/x-www-form-urlencoded";

    @Override
    public String convert(String value) {
        return switch (value.strip().toLowerCase(Locale.ROOT)) {
            case "json", JSON -> JSON;
            case "form", FORM -> FORM;
            default -> throw new TypeConversionException("'" + value + "' is not json or form");
        };
    }
}
