package io.callhook.store.api;

import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The API's problems (the {@code problems} of a 400) in Russian, for a client that asks for
 * Russian first ({@code Accept-Language: ru}), as the customer's page does in Russian. Each
 * problem keeps its field name (an API name) and says the rest in Russian; a problem no rule
 * knows stays as the API words it, in English, so that nothing is ever hidden.
 */
final class RussianProblems {

    private record Rule(Pattern english, Function<Matcher, String> russian) {
    }

    private static final String FIELD = "([\\w\\[\\].]+): ";
    private static final List<Rule> RULES = List.of(
            rule(FIELD + "missing$", m -> m.group(1) + ": не указано"),
            rule(FIELD + "missing \\(PUT replaces every changeable field; PATCH changes some\\)$",
                    m -> m.group(1) + ": не указано (PUT заменяет все изменяемые поля, PATCH — только переданные)"),
            rule(FIELD + "missing \\((.+) or (.+)\\)$", m -> m.group(1) + ": не указано (" + m.group(2) + " или " + m.group(3) + ")"),
            rule(FIELD + "required$", m -> m.group(1) + ": обязательно"),
            rule(FIELD + "required with the admin token$", m -> m.group(1) + ": обязательно с токеном администратора"),
            rule(FIELD + "cannot be changed$", m -> m.group(1) + ": изменить нельзя"),
            rule(FIELD + "is assigned by the store$", m -> m.group(1) + ": назначает хранилище"),
            rule(FIELD + "must be a number$", m -> m.group(1) + ": должно быть числом"),
            rule(FIELD + "'(.*)' is not a number$", m -> m.group(1) + ": '" + m.group(2) + "' — не число"),
            rule(FIELD + "must be a whole number of seconds, 0 or more$",
                    m -> m.group(1) + ": целое число секунд, 0 или больше"),
            rule(FIELD + "is not a field of a subscription$", m -> m.group(1) + ": нет такого поля у подписки"),
            rule(FIELD + "has the wrong type$", m -> m.group(1) + ": неверный тип значения"),
            rule(FIELD + "not valid JSON$", m -> m.group(1) + ": это не JSON"),
            rule(FIELD + "must be a JSON object$", m -> m.group(1) + ": должно быть JSON-объектом"),
            rule(FIELD + "(.+) is outside (\\d+)\\.\\.(\\d+) \\(or null for no limit\\)$",
                    m -> m.group(1) + ": " + m.group(2) + " вне диапазона " + m.group(3) + ".." + m.group(4) + " (или null — без ограничения)"),
            rule(FIELD + "(.+) is outside (\\d+)\\.\\.(\\d+)$",
                    m -> m.group(1) + ": " + m.group(2) + " вне диапазона " + m.group(3) + ".." + m.group(4)),
            rule(FIELD + "must be (\\d+)\\.\\.(\\d+) characters$",
                    m -> m.group(1) + ": от " + m.group(2) + " до " + m.group(3) + " символов"),
            rule(FIELD + "longer than (\\d+) characters$", m -> m.group(1) + ": длиннее " + m.group(2) + " символов"),
            rule(FIELD + "not a valid URL \\((.*) at index (-?\\d+)\\)$",
                    m -> m.group(1) + ": неверный URL (" + m.group(2) + ", позиция " + m.group(3) + ")"),
            rule(FIELD + "must be an absolute http or https URL$", m -> m.group(1) + ": нужен абсолютный URL http или https"),
            rule(FIELD + "must not carry a user name or password \\(put credentials in headers or params\\)$",
                    m -> m.group(1) + ": не должен содержать имя пользователя или пароль"
                            + " (учётные данные передавайте в заголовках или параметрах)"),
            rule(FIELD + "has no valid host$", m -> m.group(1) + ": нет допустимого хоста"),
            rule(FIELD + "must be CALLKEEPER or CALLTRACKING$", m -> m.group(1) + ": должен быть CALLKEEPER или CALLTRACKING"),
            rule(FIELD + "CALLKEEPER subscriptions receive exactly \\[STARTED, ENDED\\]$",
                    m -> m.group(1) + ": подписки CALLKEEPER получают ровно [STARTED, ENDED]"),
            rule(FIELD + "CALLKEEPER subscriptions are sent as JSON with POST$",
                    m -> m.group(1) + ": подписки CALLKEEPER отправляются как JSON методом POST"),
            rule(FIELD + "CALLKEEPER subscriptions send the documented keys; renames are a CALLTRACKING option$",
                    m -> m.group(1) + ": подписки CALLKEEPER отправляют документированные ключи; переименование — настройка CALLTRACKING"),
            rule(FIELD + "choose at least one of (.+)$", m -> m.group(1) + ": выберите хотя бы одно из " + m.group(2)),
            rule(FIELD + "(.+) must be distinct values among (.+)$",
                    m -> m.group(1) + ": " + m.group(2) + " — значения должны быть разными, из " + m.group(3)),
            rule(FIELD + "at most (\\d+) headers$", m -> m.group(1) + ": не больше " + m.group(2) + " заголовков"),
            rule(FIELD + "'(.*)' is not a valid header name$", m -> m.group(1) + ": '" + m.group(2) + "' — недопустимое имя заголовка"),
            rule(FIELD + "'(.*)' is set by Callhook and cannot be overridden$",
                    m -> m.group(1) + ": '" + m.group(2) + "' задаёт Callhook, его нельзя переопределить"),
            rule(FIELD + "'(.*)' is given twice \\(header names ignore case; also given as '(.*)'\\)$",
                    m -> m.group(1) + ": '" + m.group(2) + "' указан дважды (имена заголовков не различают регистр; также указан как '"
                            + m.group(3) + "')"),
            rule(FIELD + "the value of '(.*)' must be at most (\\d+) characters without CR, LF or NUL$",
                    m -> m.group(1) + ": значение '" + m.group(2) + "' — не длиннее " + m.group(3) + " символов, без CR, LF и NUL"),
            rule(FIELD + "(.+) is not a documented key$", m -> m.group(1) + ": " + m.group(2) + " — не документированный ключ"),
            rule(FIELD + "(.+) -> (.+) is not a valid key name \\((.*)\\)$",
                    m -> m.group(1) + ": " + m.group(2) + " -> " + m.group(3) + " — недопустимое имя ключа (" + m.group(4) + ")"),
            rule(FIELD + "(.+) would (?:both|all) be named (.+)$",
                    m -> m.group(1) + ": " + m.group(2) + " получили бы одно имя " + m.group(3)),
            rule(FIELD + "(.+) is not a valid parameter name \\((.*)\\)$",
                    m -> m.group(1) + ": " + m.group(2) + " — недопустимое имя параметра (" + m.group(3) + ")"),
            rule(FIELD + "(.+) has no value \\(use \"\" for an empty one\\)$",
                    m -> m.group(1) + ": " + m.group(2) + " без значения (для пустого укажите \"\")"),
            rule(FIELD + "(.+) collides with the body key (.+)$",
                    m -> m.group(1) + ": " + m.group(2) + " совпадает с ключом тела " + m.group(3)),
            rule(FIELD + "must be a whole number from (\\d+) to (\\d+)$",
                    m -> m.group(1) + ": целое число от " + m.group(2) + " до " + m.group(3)),
            rule(FIELD + "must be a whole number$", m -> m.group(1) + ": должно быть целым числом"),
            rule(FIELD + "not a cursor of this API \\(use the 'next' of a page\\)$",
                    m -> m.group(1) + ": это не курсор этого API (передайте 'next' предыдущей страницы)"),
            rule(FIELD + "must be one of (.+)$", m -> m.group(1) + ": должно быть одним из " + m.group(2)),
            // The SSRF guard's reasons for refusing a URL's host.
            rule(FIELD + "the host is (\\S+) to parsers that read leading zeros as decimal, and (\\S+) is (an? .+?) address \\((.+)\\)$",
                    m -> m.group(1) + ": парсеры, читающие ведущие нули как десятичные, видят хост как " + m.group(2) + ", а "
                            + m.group(3) + " — " + addressKind(m.group(4)) + " адрес (" + m.group(5) + ")"),
            rule(FIELD + "(\\S+) is (an? .+?) address \\((.+)\\)$",
                    m -> m.group(1) + ": " + m.group(2) + " — " + addressKind(m.group(3)) + " адрес (" + m.group(4) + ")"),
            rule(FIELD + "(\\S+) is a loopback name \\(RFC 6761: it always means this host\\)$",
                    m -> m.group(1) + ": " + m.group(2) + " — петлевое имя (RFC 6761: оно всегда означает этот же хост)"),
            rule(FIELD + "host is empty$", m -> m.group(1) + ": пустой хост"),
            rule(FIELD + "host contains a space or control character$", m -> m.group(1) + ": в хосте пробел или управляющий символ"),
            rule(FIELD + "host (.+) ends in a number but is not a valid IPv4 address$",
                    m -> m.group(1) + ": хост " + m.group(2) + " оканчивается числом, но это не допустимый IPv4-адрес"),
            rule(FIELD + "host (.+) is not a valid IPv6 address$", m -> m.group(1) + ": хост " + m.group(2) + " — не допустимый IPv6-адрес"),
            rule(FIELD + "host (.+) has an IPv6 zone id$", m -> m.group(1) + ": у хоста " + m.group(2) + " есть идентификатор зоны IPv6"),
            rule(FIELD + "host (.+) is not a valid international domain name$",
                    m -> m.group(1) + ": хост " + m.group(2) + " — не допустимое международное доменное имя"),
            rule(FIELD + "URL (.+) contains a backslash$", m -> m.group(1) + ": URL " + m.group(2) + " содержит обратную косую черту"),
            rule(FIELD + "'(.*)' is not (.+)$",
                    m -> m.group(1) + ": '" + m.group(2) + "' — не " + m.group(3).replace(" or ", " или ")));

    private RussianProblems() {
    }

    /** The SSRF guard's kinds of address ({@code io.callhook.net.Category}'s phrases), in Russian. */
    private static String addressKind(String english) {
        return switch (english) {
            case "a loopback" -> "петлевой";
            case "a private" -> "частный";
            case "a link-local" -> "локальный для канала (link-local)";
            case "a multicast" -> "групповой (multicast)";
            case "an unspecified" -> "неопределённый";
            case "a shared (carrier-grade NAT)" -> "общий (carrier-grade NAT)";
            case "a reserved" -> "зарезервированный";
            case "an invalid" -> "недопустимый";
            default -> english;
        };
    }

    private static Rule rule(String english, Function<Matcher, String> russian) {
        return new Rule(Pattern.compile("^" + english), russian);
    }

    /** Whether the client's first language range is Russian ({@code ru}, {@code ru-RU}...). */
    static boolean wanted(String acceptLanguage) {
        if (acceptLanguage == null || acceptLanguage.isBlank()) {
            return false;
        }
        String first = acceptLanguage.split(",", 2)[0].split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        return first.equals("ru") || first.startsWith("ru-");
    }

    /** The problem in Russian, or as it is when no rule knows it. */
    static String translate(String problem) {
        for (Rule rule : RULES) {
            Matcher matcher = rule.english().matcher(problem);
            if (matcher.matches()) {
                return rule.russian().apply(matcher);
            }
        }
        return problem;
    }
}
