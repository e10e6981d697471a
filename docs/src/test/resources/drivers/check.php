<?php
// Test driver: runs the guide's PHP snippet on a captured webhook.
// Usage: php check.php <verify.php> <webhook dir> <secret>; prints "valid <id>" or "invalid: <reason>".
require $argv[1];
$dir = $argv[2];
$headers = [];
foreach (explode("\n", file_get_contents("$dir/headers")) as $line) {
    if ($line !== '') {
        [$name, $value] = explode(': ', $line, 2);
        $headers[$name] = $value;
    }
}
try {
    $id = verify_callhook_webhook($argv[3], file_get_contents("$dir/method"), file_get_contents("$dir/query"),
        file_get_contents("$dir/body"), $headers);
    echo "valid $id\n";
} catch (RuntimeException $e) {
    echo "invalid: {$e->getMessage()}\n";
    exit(1);
}
