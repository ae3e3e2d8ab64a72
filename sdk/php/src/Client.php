<?php

declare(strict_types=1);

namespace Slotbook;

use Slotbook\Exception\ApiConnectionException;
use Slotbook\Resource\Appointments;
use Slotbook\Resource\AppointmentTypes;
use Slotbook\Resource\Availability;
use Slotbook\Resource\Credits;
use Slotbook\Resource\Departments;
use Slotbook\Resource\Workers;

/**
 * The Slotbook API. The key defaults to $SLOTBOOK_API_KEY and the base URL to
 * $SLOTBOOK_BASE_URL, else http://127.0.0.1:8000. Options: baseUrl, timeout (seconds per
 * attempt, 30), maxRetries (2), backoff (0.5), maxBackoff (8), maxRetryAfter (60).
 */
class Client
{
    public const VERSION = '0.1.0';
    public const DEFAULT_BASE_URL = 'http://127.0.0.1:8000';
    // Methods that change state: each call carries an Idempotency-Key, reused by its retries.
    private const IDEMPOTENT_BY_KEY = ['POST', 'PATCH', 'PUT', 'DELETE'];

    public readonly string $baseUrl;
    public readonly float $timeout;
    public readonly RetryPolicy $retry;
    public readonly Appointments $appointments;
    public readonly Availability $availability;
    public readonly Departments $departments;
    public readonly Workers $workers;
    public readonly AppointmentTypes $appointmentTypes;
    public readonly Credits $credits;
    private readonly string $apiKey;
    private ?\CurlHandle $curl = null;

    /** @param array{apiKey?: string, baseUrl?: string, timeout?: float|int, maxRetries?: int, backoff?: float|int, maxBackoff?: float|int, maxRetryAfter?: float|int} $options */
    public function __construct(?string $apiKey = null, array $options = [])
    {
        $key = $apiKey ?: ($options['apiKey'] ?? null) ?: (getenv('SLOTBOOK_API_KEY') ?: '');
        if ($key === '') {
            throw new \InvalidArgumentException('an API key is required (or set SLOTBOOK_API_KEY)');
        }
        $this->apiKey = $key;
        $base = ($options['baseUrl'] ?? null) ?: (getenv('SLOTBOOK_BASE_URL') ?: self::DEFAULT_BASE_URL);
        $this->baseUrl = rtrim($base, '/') . '/';
        $this->timeout = (float) ($options['timeout'] ?? 30);
        $this->retry = new RetryPolicy(
            (int) ($options['maxRetries'] ?? 2),
            (float) ($options['backoff'] ?? 0.5),
            (float) ($options['maxBackoff'] ?? 8),
            (float) ($options['maxRetryAfter'] ?? 60),
        );
        $this->appointments = new Appointments($this);
        $this->availability = new Availability($this);
        $this->departments = new Departments($this);
        $this->workers = new Workers($this);
        $this->appointmentTypes = new AppointmentTypes($this);
        $this->credits = new Credits($this);
    }

    /**
     * Any API call: $path is relative to the base URL (e.g. "api/v1/changes"). Returns the
     * decoded JSON (objects as Records), or throws a SlotbookException subclass.
     *
     * @param array<string, mixed> $params
     * @param array<string, mixed>|null $body
     * @param array<string, string> $headers
     */
    public function request(
        string $method,
        string $path,
        array $params = [],
        ?array $body = null,
        ?string $idempotencyKey = null,
        array $headers = [],
    ): mixed {
        $url = $this->baseUrl . ltrim($path, '/') . self::query($params);
        $sent = [
            'X-API-Key' => $this->apiKey,
            'Accept' => 'application/json',
            'User-Agent' => 'slotbook-php/' . self::VERSION,
        ] + $headers;
        if (in_array($method, self::IDEMPOTENT_BY_KEY, true)) {
            $sent['Idempotency-Key'] = $idempotencyKey ?? self::uuid4();
        }
        $content = null;
        if ($body !== null) {
            $content = json_encode(
                $body === [] ? new \stdClass() : self::plain($body),
                JSON_THROW_ON_ERROR | JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE,
            );
            $sent['Content-Type'] = 'application/json';
        }
        for ($attempt = 0; ; $attempt++) {
            $outcome = $this->send($method, $url, $sent, $content);
            $delay = $this->retry->delay($attempt, $outcome);
            if ($delay === null) {
                return $this->result($outcome);
            }
            usleep((int) round($delay * 1_000_000));
        }
    }

    /** @param array<string, string> $headers */
    private function send(string $method, string $url, array $headers, ?string $content): Response
    {
        // One handle per client keeps the connection alive between calls.
        $this->curl ??= curl_init();
        $curl = $this->curl;
        curl_reset($curl);
        $received = [];
        $lines = [];
        foreach ($headers as $name => $value) {
            $lines[] = "$name: $value";
        }
        curl_setopt_array($curl, [
            CURLOPT_URL => $url,
            CURLOPT_CUSTOMREQUEST => $method,
            CURLOPT_HTTPHEADER => $lines,
            CURLOPT_RETURNTRANSFER => true,
            CURLOPT_FOLLOWLOCATION => false,
            CURLOPT_TIMEOUT_MS => (int) round($this->timeout * 1000),
            CURLOPT_HEADERFUNCTION => static function ($handle, string $line) use (&$received): int {
                $parts = explode(':', $line, 2);
                if (count($parts) === 2) {
                    $received[strtolower(trim($parts[0]))] = trim($parts[1]);
                } elseif (str_starts_with($line, 'HTTP/')) {
                    $received = [];  // a new response (e.g. after 100 Continue)
                }
                return strlen($line);
            },
        ]);
        if ($content !== null) {
            curl_setopt($curl, CURLOPT_POSTFIELDS, $content);
        }
        $body = curl_exec($curl);
        $errno = curl_errno($curl);
        if ($body === false || $errno !== 0) {
            return new Response(0, [], '', $errno ?: CURLE_RECV_ERROR, curl_error($curl));
        }
        return new Response((int) curl_getinfo($curl, CURLINFO_RESPONSE_CODE), $received, (string) $body);
    }

    private function result(Response $outcome): mixed
    {
        if ($outcome->curlError !== 0) {
            throw new ApiConnectionException(
                "curl error {$outcome->curlError}: {$outcome->curlMessage}",
                'CONNECTION_ERROR',
            );
        }
        if ($outcome->status < 200 || $outcome->status >= 300) {
            throw Errors::fromResponse($outcome->status, $outcome->headers, $outcome->body);
        }
        if ($outcome->body === '') {
            return new Record();
        }
        if (!str_contains($outcome->headers['content-type'] ?? '', 'json')) {
            return $outcome->body;
        }
        return Record::wrap(json_decode($outcome->body, false, 512, JSON_THROW_ON_ERROR));
    }

    /** @param array<string, mixed> $params */
    private static function query(array $params): string
    {
        $pairs = [];
        foreach ($params as $name => $value) {
            foreach (is_array($value) ? $value : [$value] as $item) {
                if ($item !== null) {
                    $pairs[] = rawurlencode((string) $name) . '=' . rawurlencode(self::scalar($item));
                }
            }
        }
        return $pairs === [] ? '' : '?' . implode('&', $pairs);
    }

    private static function scalar(mixed $value): string
    {
        return match (true) {
            $value instanceof \DateTimeInterface => $value->format('Y-m-d\TH:i:sP'),
            is_bool($value) => $value ? 'true' : 'false',
            default => (string) $value,
        };
    }

    /** A body as JSON: dates in ISO 8601, Records as objects. */
    private static function plain(mixed $value): mixed
    {
        return match (true) {
            $value instanceof \DateTimeInterface => $value->format('Y-m-d\TH:i:sP'),
            $value instanceof Record => $value->toArray(),
            is_array($value) => array_map(self::plain(...), $value),
            default => $value,
        };
    }

    private static function uuid4(): string
    {
        $bytes = random_bytes(16);
        $bytes[6] = chr(ord($bytes[6]) & 0x0f | 0x40);
        $bytes[8] = chr(ord($bytes[8]) & 0x3f | 0x80);
        return vsprintf('%s%s-%s-%s-%s-%s%s%s', str_split(bin2hex($bytes), 4));
    }
}
