<?php

declare(strict_types=1);

namespace Slotbook;

/**
 * One JSON object of the API: its fields are properties ($appointment->qrCode) and array
 * keys ($appointment['qrCode']), with the API's camelCase names; snake_case properties work too
 * ($appointment->qr_code). Nested objects are Records, JSON arrays PHP lists. Read-only.
 *
 * @implements \ArrayAccess<string, mixed>
 * @implements \IteratorAggregate<string, mixed>
 */
final class Record implements \ArrayAccess, \IteratorAggregate, \Countable, \JsonSerializable
{
    /** @param array<string, mixed> $fields */
    public function __construct(private readonly array $fields = [])
    {
    }

    /** JSON as decoded with objects (json_decode without `true`) made into Records. */
    public static function wrap(mixed $value): mixed
    {
        if ($value instanceof \stdClass) {
            $fields = [];
            foreach (get_object_vars($value) as $name => $field) {
                $fields[(string) $name] = self::wrap($field);
            }
            return new self($fields);
        }
        if (is_array($value)) {
            return array_map(self::wrap(...), $value);
        }
        return $value;
    }

    public function __get(string $name): mixed
    {
        return $this->fields[$this->key($name)];
    }

    public function __isset(string $name): bool
    {
        return isset($this->fields[$this->key($name, false)]);
    }

    public function __set(string $name, mixed $value): void
    {
        throw new \LogicException('a Record is read-only: send changes with the API');
    }

    public function offsetExists(mixed $offset): bool
    {
        return isset($this->fields[$offset]);
    }

    public function offsetGet(mixed $offset): mixed
    {
        return $this->fields[$this->key((string) $offset)];
    }

    public function offsetSet(mixed $offset, mixed $value): void
    {
        throw new \LogicException('a Record is read-only: send changes with the API');
    }

    public function offsetUnset(mixed $offset): void
    {
        throw new \LogicException('a Record is read-only: send changes with the API');
    }

    public function getIterator(): \ArrayIterator
    {
        return new \ArrayIterator($this->fields);
    }

    public function count(): int
    {
        return count($this->fields);
    }

    /** @return array<string, mixed> the fields, nested Records as arrays too */
    public function toArray(): array
    {
        $plain = static fn (mixed $v): mixed => match (true) {
            $v instanceof self => $v->toArray(),
            is_array($v) => array_map(static fn (mixed $x): mixed => $x instanceof self ? $x->toArray() : $x, $v),
            default => $v,
        };
        return array_map($plain, $this->fields);
    }

    public function jsonSerialize(): mixed
    {
        return $this->fields === [] ? new \stdClass() : $this->fields;
    }

    private function key(string $name, bool $required = true): string
    {
        if (array_key_exists($name, $this->fields)) {
            return $name;
        }
        $camel = lcfirst(str_replace('_', '', ucwords($name, '_')));
        if (array_key_exists($camel, $this->fields) || !$required) {
            return $camel;
        }
        throw new \OutOfRangeException(sprintf(
            'this Record has no field "%s"; its fields: %s',
            $name,
            implode(', ', array_keys($this->fields)),
        ));
    }
}
