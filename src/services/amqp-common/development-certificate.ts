import { readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * The certificate the messaging emulators present on TLS: self-signed, for
 * 127.0.0.1, ::1 and localhost, valid 2020 to 2120. It exists for clients
 * that insist on TLS (`new ServiceBusClient(host, credential)`, the
 * administration client); its key is public in this package, so trust it
 * only in test processes: through NODE_EXTRA_CA_CERTS, which
 * `developmentCertificateFile()` is meant for.
 */
export const DEVELOPMENT_CERTIFICATE = `-----BEGIN CERTIFICATE-----
MIIDijCCAnKgAwIBAgIBATANBgkqhkiG9w0BAQsFADBDMUEwPwYDVQQDDDhMb2Nh
bFp1cmUgZGV2ZWxvcG1lbnQgY2VydGlmaWNhdGUgKDEyNy4wLjAuMSwgbG9jYWxo
b3N0KTAgFw0yMDAxMDEwMDAwMDBaGA8yMTIwMDEwMTAwMDAwMFowQzFBMD8GA1UE
Aww4TG9jYWxadXJlIGRldmVsb3BtZW50IGNlcnRpZmljYXRlICgxMjcuMC4wLjEs
IGxvY2FsaG9zdCkwggEiMA0GCSqGSIb3DQEBAQUAA4IBDwAwggEKAoIBAQDnFZBV
unRb4E+3nAVKsb+eEzrkqgvWtYQ4+4WyiP/3Sxy+/JlSCP9v1jPBregHBsIXXvIA
UQ563OzxYbRunuc7tkQXB95VzdpSYo4tUi7uPZfMplX3GWTBmXRx9LBcmEWR8Rk7
JzJOiHpLzqHNSx1cFYNp1+OLGRf6EHRFqU1dsRCgK0JrnLXPRV2H0dHtHpHtXl2r
Vz0GVfJ2I7skaBtuJaZetONme1f0InF5jYUQgSEyWzHy1Uum3wU+yW+kQ+COiMSo
S5kQEkTeOo13r394rNc1RDzmAB8h6Ad0rJ0QDBr1xk+TrFZ3qA5cXz343iBhdiy7
pyZgGIBhR1jOCSVBAgMBAAGjgYYwgYMwLAYDVR0RBCUwI4cEfwAAAYcQAAAAAAAA
AAAAAAAAAAAAAYIJbG9jYWxob3N0MA8GA1UdEwEB/wQFMAMBAf8wDgYDVR0PAQH/
BAQDAgKkMBMGA1UdJQQMMAoGCCsGAQUFBwMBMB0GA1UdDgQWBBTPsLERvBMZER50
y3Lpy8qnlRL9mjANBgkqhkiG9w0BAQsFAAOCAQEAZ7ozcnA3QYYdMHWAXaR5if7F
p/59B+3LqIbcXVrwqHKz1bhfC8XOSKm3Nd+IsPT+YHkuLJqBjIZVhPn3yR0qw3Rn
vs7SlukvdiNAfDc+37PN3CdjtssIl1b50wPonhtyDVlSQAVXZNy2ke22cdV6prni
izIy2xspu5hFfbRWuqMqOvrK0i6krIqdMW0a0xo2YyOUiwcSiJk43bdYRfsD4ugK
iSsjFboXjjZBqKtb0kxhDXifBlFkuWOevn9uc4LO/MFqtwDNfPQ3IyPRH7KejU6N
DEdnsbDaW9yd4OlxXKSukyaEtgP2YhmGaWbrkHd63fHcs00RTBVGfmtLb/YE8A==
-----END CERTIFICATE-----
`;

/** The private key of DEVELOPMENT_CERTIFICATE. Not a secret: anyone with this package has it. */
export const DEVELOPMENT_KEY = `-----BEGIN PRIVATE KEY-----
MIIEvAIBADANBgkqhkiG9w0BAQEFAASCBKYwggSiAgEAAoIBAQDnFZBVunRb4E+3
nAVKsb+eEzrkqgvWtYQ4+4WyiP/3Sxy+/JlSCP9v1jPBregHBsIXXvIAUQ563Ozx
YbRunuc7tkQXB95VzdpSYo4tUi7uPZfMplX3GWTBmXRx9LBcmEWR8Rk7JzJOiHpL
zqHNSx1cFYNp1+OLGRf6EHRFqU1dsRCgK0JrnLXPRV2H0dHtHpHtXl2rVz0GVfJ2
I7skaBtuJaZetONme1f0InF5jYUQgSEyWzHy1Uum3wU+yW+kQ+COiMSoS5kQEkTe
Oo13r394rNc1RDzmAB8h6Ad0rJ0QDBr1xk+TrFZ3qA5cXz343iBhdiy7pyZgGIBh
R1jOCSVBAgMBAAECggEAC2jHZlAtKA8gaHiZ00kI5LFe3kTeDkUKiPS0Mm8ssiVB
f1WB7Wi30eoBxq2DL/ufsB82NBlMbXkEctuH2NFcKdjTLk7rZZGjFp+6lNbCre0Z
FlfdFTTqAlwFAY5a+ctj3fOJMyA5jeKTpTQHzZbIlZATW7G20JqV0jknQHw+L2Kz
YqvKVjpdTmUglS50UldZIohWBvhDCq0ypvhAXR1BVW0nfuA2C8M2aaj7PFrAKkNy
EYdEDuwbxuRLakvZo9AEUEzEGAECYxXhIUqX4gBO3azZsN6N3dMJmC0cUbXF+AcD
WFjsbkTw4h8HY0dN5FDU65E0vUbVJbLGWCjKV5GZtQKBgQDzmKuiVar0NFZvnUCQ
Ol8uObdoSzuj1MPkMld6LKs8BCGHe/itLCY8g5YwbyLmuPCgywnOg9qNK352169K
hXDYq6xwlAvu5bbNzT7KCXVsITfrZnPdwX/hsUlNR2TDRJewS6aBIMj8gpwRMw9k
yCn7eYvOMSRlfLTFEff9968vDQKBgQDy2cuJYMCkaR19r3b4VY4fLUaXH7lV1MSk
7aDVC09C7Ycfk1h47MInp0PZ7QGSDuM2BEcToUi8n2iuUaQCiKZH2KX77CDvzMgI
8WYAqLLHGEPwZiTKKCDK9jYOlpOwbsqanrXUAt6r5ZYqHVSU9n7/v8YcH9tFSWBd
qUs9nXOiBQKBgFkVaRcp2yYJid6xlG3qWuqNwuwKL1pfse/fFSyh71E4dYaVqMCz
15vjx2YZDptv4Nf8yK5Ue/WKhWoywHExUa57Qcm96otISM0ElUTPpriPgWK+Cft8
CydfbV4skMX0bMDVOaQZeEcYALktgiCqLug/cAhM4nGW5Ij5ZEblcJR1AoGAcnIr
VmmPP6v95u5a7bs8B/tJSgz8RbPInEUUR3JV/x97T2kcB5jkAtXzxu7Hj7KOZzVq
3Zhjc+jX51a4KS2G11MFHgzwlLH4DybcQDFAV01bLx6j9dUlZyDS5tsVbM85kdZ7
sBdOIspGk0BRTQZBYXtZ/IUSy7tBu8H9oGLkTJUCgYBD5kN2yyBSGl3vIUl5WkpS
HezjB1+4dTyGwUSkGfK7IHMj7tb/u2oTsiEXmWQeL+TuLFcJTICWJEseeclAejCw
TqFgUqnSJRtsjc+yc4BxyfAbIjFkrtWDS/Ubymj58wD6xguBbhaYg0EQu6mhshpH
j8Wi+EFT59Rg2wy5j3FcWQ==
-----END PRIVATE KEY-----
`;

let written: string | undefined;

/**
 * A file holding DEVELOPMENT_CERTIFICATE (written once, in the temp folder),
 * to set as NODE_EXTRA_CA_CERTS before a Node process starts. Node reads only
 * one such file, so certificates the user already trusts that way
 * (`NODE_EXTRA_CA_CERTS` of this process) are copied in too.
 */
export function developmentCertificateFile(env: NodeJS.ProcessEnv = process.env): string {
  if (written) return written;
  const own = env.NODE_EXTRA_CA_CERTS;
  let theirs = '';
  try {
    theirs = own ? readFileSync(own, 'utf8') : '';
  } catch {
    // An unreadable file trusts nothing today either.
  }
  const file = join(tmpdir(), `localzure-development-ca-${process.pid}.pem`);
  writeFileSync(file, theirs.includes(DEVELOPMENT_CERTIFICATE.trim()) ? theirs : `${theirs}${theirs && !theirs.endsWith('\n') ? '\n' : ''}${DEVELOPMENT_CERTIFICATE}`);
  return (written = file);
}
