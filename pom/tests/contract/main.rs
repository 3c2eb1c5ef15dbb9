//! Contract tests: the typed client against the simulator over real HTTP (REST and SOAP), every
//! documented fault, fault injection, and the SOAP request shapes against the WSDLs.

mod control;
mod faults;
mod helpers;
mod rest;
mod soap_dnc_lists;
mod soap_jobs;
mod surface;
mod tls;
mod wsdl;
