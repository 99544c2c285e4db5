"""A third-party OpenID provider for Gatehouse's interop test: the IdentityPython `idpyoidc`
server library (PyPI, pinned in Deploy/scripts/setup-deps.sh) behind a small stdlib HTTP front.

It offers discovery, JWKS, pushed authorization (RFC 9126), the authorization endpoint (the user
is signed in without a form: idpyoidc's NoAuthn), the token endpoint with DPoP binding (RFC 9449)
and userinfo as a DPoP-protected resource. Only loopback, only for tests.

Usage: python idpyoidc_op.py PORT REDIRECT_URI CLIENT_ID CLIENT_SECRET [ACCESS_TOKEN_SECONDS]
It prints "ready <issuer>" once it listens.
"""
import base64
import hashlib
import json
import sys
import tempfile
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlencode, urlsplit

from cryptojwt.jws.jws import factory
from idpyoidc.message import Message
from idpyoidc.server import Server
from idpyoidc.server.configure import OPConfiguration
from idpyoidc.server.oauth2.add_on import dpop
from idpyoidc.server.oauth2.pushed_authorization import PushedAuthorization
from idpyoidc.server.oidc.authorization import Authorization
from idpyoidc.server.oidc.provider_config import ProviderConfiguration
from idpyoidc.server.oidc.token import Token
from idpyoidc.server.oidc.userinfo import UserInfo
from idpyoidc.server.user_authn.authn_context import INTERNETPROTOCOLPASSWORD

port, redirect_uri, client_id, client_secret = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]
access_token_lifetime = int(sys.argv[5]) if len(sys.argv) > 5 else 3600
issuer = f"http://127.0.0.1:{port}"
workdir = tempfile.mkdtemp(prefix="idpyoidc-op-")

# RFC 9449 section 4.2: ath is the base64url SHA-256 of the access token. idpyoidc 5.0.0 compares
# it with the *hex* digest, which refuses every conforming proof; this restores the RFC's form
# and keeps the rest of idpyoidc's check (signature, typ, htm, htu) as it is.
_original_check = dpop.userinfo_post_parse_request


def _rfc9449_ath(request, client_id, context, auth_info, **kwargs):
    token = (auth_info or {}).get("token")
    if token:
        header = (kwargs.get("http_info") or {}).get("headers", {}).get("dpop", "")
        jws = factory(header)
        expected = base64.urlsafe_b64encode(hashlib.sha256(token.encode()).digest()).rstrip(b"=").decode()
        if jws is None or jws.jwt.payload().get("ath") != expected:
            raise ValueError("'ath' in DPoP does not match the token hash")
        auth_info = {k: v for k, v in auth_info.items() if k != "token"}
    return _original_check(request, client_id, context, auth_info, **kwargs)


dpop.userinfo_post_parse_request = _rfc9449_ath

KEYDEFS = [{"type": "RSA", "key": "", "use": ["sig"]}, {"type": "EC", "crv": "P-256", "use": ["sig"]}]
CRYPT = {"kwargs": {"keys": {"key_defs": [{"type": "OCT", "use": ["enc"], "kid": "password"}, {"type": "OCT", "use": ["enc"], "kid": "salt"}]}, "iterations": 1}}
users_file = f"{workdir}/users.json"
with open(users_file, "w") as f:
    json.dump({"diana": {"sub": "diana", "name": "Diana Krall", "email": "diana@example.org", "email_verified": True}}, f)

conf = {
    "issuer": issuer,
    "httpc_params": {"verify": False, "timeout": 2},
    "keys": {"uri_path": "jwks.json", "key_defs": KEYDEFS, "private_path": f"{workdir}/jwks.json", "read_only": False},
    "preference": {
        "response_types_supported": ["code"],
        "token_endpoint_auth_methods_supported": ["client_secret_basic"],
        "require_pushed_authorization_requests": True,
        "subject_types_supported": ["public"],
        "scopes_supported": ["openid", "profile", "email", "offline_access"],
        "id_token_signing_alg_values_supported": ["RS256", "ES256"],
    },
    "add_on": {
        "pkce": {"function": "idpyoidc.server.oauth2.add_on.pkce.add_support", "kwargs": {"essential": True, "code_challenge_method": "S256"}},
        "dpop": {"function": "idpyoidc.server.oauth2.add_on.dpop.add_support", "kwargs": {"dpop_signing_alg_values_supported": ["ES256"], "dpop_endpoints": ["token", "userinfo"]}},
    },
    "token_handler_args": {
        "jwks_def": {"private_path": f"{workdir}/token_jwks.json", "read_only": False, "key_defs": [{"type": "oct", "bytes": 24, "use": ["enc"], "kid": "code"}, {"type": "oct", "bytes": 24, "use": ["enc"], "kid": "refresh"}]},
        "code": {"lifetime": 600, "kwargs": {"crypt_conf": CRYPT}},
        "token": {"class": "idpyoidc.server.token.jwt_token.JWTToken", "kwargs": {"lifetime": access_token_lifetime, "aud": [issuer]}},
        "refresh": {"class": "idpyoidc.server.token.jwt_token.JWTToken", "kwargs": {"lifetime": 86400, "aud": [issuer]}},
        "id_token": {"class": "idpyoidc.server.token.id_token.IDToken", "kwargs": {}},
    },
    "endpoint": {
        "provider_config": {"path": ".well-known/openid-configuration", "class": ProviderConfiguration, "kwargs": {}},
        "pushed_authorization": {"path": "par", "class": PushedAuthorization, "kwargs": {"client_authn_method": ["client_secret_basic"]}},
        "authorization": {"path": "authorization", "class": Authorization, "kwargs": {"response_types_supported": ["code"], "request_uri_parameter_supported": True}},
        "token": {"path": "token", "class": Token, "kwargs": {"client_authn_method": ["client_secret_basic"]}},
        "userinfo": {"path": "userinfo", "class": UserInfo, "kwargs": {"client_authn_method": ["dpop"]}},
    },
    "authentication": {"anon": {"acr": INTERNETPROTOCOLPASSWORD, "class": "idpyoidc.server.user_authn.user.NoAuthn", "kwargs": {"user": "diana"}}},
    "authz": {
        "class": "idpyoidc.server.authz.AuthzHandling",
        "kwargs": {"grant_config": {"expires_in": 43200, "usage_rules": {
            "authorization_code": {"expires_in": 300, "supports_minting": ["access_token", "refresh_token", "id_token"], "max_usage": 1},
            "access_token": {"expires_in": access_token_lifetime},
            "refresh_token": {"expires_in": 86400, "supports_minting": ["access_token", "refresh_token", "id_token"]},
        }}},
    },
    "userinfo": {"class": "idpyoidc.server.user_info.UserInfo", "kwargs": {"db_file": users_file}},
    "session_params": {"encrypter": CRYPT},
    "template_dir": workdir,
}

server = Server(OPConfiguration(conf, base_path=workdir), cwd=workdir)
# idpyoidc 5.0.0's DPoP add-on puts dpop_signing_alg_values_supported in a provider_info that is
# rebuilt afterwards, so discovery does not advertise DPoP (RFC 9449 section 5.1 says it should)
# and its refresh grant, which looks for that key, answers Bearer. Restoring the key fixes both.
server.context.provider_info["dpop_signing_alg_values_supported"] = ["ES256"]
server.context.cdb[client_id] = {
    "client_id": client_id,
    "client_secret": client_secret,
    "redirect_uris": [(redirect_uri, {})],
    "token_endpoint_auth_method": "client_secret_basic",
    "response_types_supported": ["code"],
    "grant_types": ["authorization_code", "refresh_token"],
    "allowed_scopes": ["openid", "profile", "email", "offline_access"],
    "client_salt": "salted",
}
endpoints = {"/" + e.endpoint_path: e for e in server.endpoint.values()}


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def do_GET(self):
        self.serve(urlsplit(self.path).query)

    def do_POST(self):
        length = int(self.headers.get("Content-Length") or 0)
        self.serve(self.rfile.read(length).decode())

    def serve(self, request):
        path = urlsplit(self.path).path
        if path == "/jwks.json":
            return self.send(200, "application/json", json.dumps(server.keyjar.export_jwks(issuer_id="")))
        endpoint = endpoints.get(path)
        if endpoint is None:
            return self.send(404, "text/plain", "not found")
        headers = {k.lower(): v for k, v in self.headers.items()}
        http_info = {"headers": headers, "url": issuer + path, "method": self.command}
        if path == "/authorization":
            request = self.with_pushed_parameters(request)
        try:
            parsed = endpoint.parse_request(request or {}, http_info=http_info)
            if isinstance(parsed, Message) and "error" in parsed:
                return self.send(400, "application/json", parsed.to_json())
            args = endpoint.process_request(parsed, http_info=http_info)
            if "http_response" in args:
                return self.send(201, "application/json", json.dumps(args["http_response"]))
            if "error" in args:
                status = 401 if path == "/userinfo" else 400
                return self.send(status, "application/json", json.dumps({k: args[k] for k in ("error", "error_description") if k in args}))
            reply = endpoint.do_response(request=parsed, **args)
        except Exception as error:  # idpyoidc raises plain exceptions for refused input
            status = 401 if path == "/userinfo" else 400
            return self.send(status, "application/json", json.dumps({"error": "invalid_request", "error_description": str(error)}))
        if reply.get("response_placement") == "url" or (isinstance(reply.get("response"), str) and reply["response"].startswith(redirect_uri)):
            self.send_response(303)
            self.send_header("Location", reply["response"])
            self.end_headers()
            return
        extra = dict(reply.get("http_headers") or [])
        self.send(reply.get("response_code", 200), extra.pop("Content-type", "application/json"), reply["response"], extra)

    @staticmethod
    def with_pushed_parameters(query):
        """A FAPI 2.0 client sends only client_id and request_uri to the authorization endpoint.
        idpyoidc 5.0.0 validates that query as a whole authorization request (response_type,
        scope and redirect_uri required) before it resolves the pushed one, and its own PAR test
        sends every parameter again; so the front does what that test does and adds the pushed
        parameters from idpyoidc's own store. The browser's URL still holds only the two."""
        params = {k: v[0] for k, v in parse_qs(query).items()}
        pushed = server.context.par_db.get(params.get("request_uri", ""))
        if pushed is None:
            return query
        for name, value in pushed.to_dict().items():
            params.setdefault(name, " ".join(value) if isinstance(value, list) else value)
        return urlencode(params)

    def send(self, status, content_type, body, extra=None):
        data = body.encode() if isinstance(body, str) else body
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        for key, value in (extra or {}).items():
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(data)


httpd = ThreadingHTTPServer(("127.0.0.1", port), Handler)
print(f"ready {issuer}", flush=True)
httpd.serve_forever()
