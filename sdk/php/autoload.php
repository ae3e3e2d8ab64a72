<?php

declare(strict_types=1);

// The PSR-4 autoloader of the package for projects without Composer:
// require '/path/to/sdk/php/autoload.php'; (with Composer, vendor/autoload.php does this).
spl_autoload_register(static function (string $class): void {
    $prefix = 'Slotbook\\';
    if (!str_starts_with($class, $prefix)) {
        return;
    }
    $file = __DIR__ . '/src/' . str_replace('\\', '/', substr($class, strlen($prefix))) . '.php';
    if (is_file($file)) {
        require $file;
    }
});
