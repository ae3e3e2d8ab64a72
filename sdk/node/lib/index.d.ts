// CommonJS: `require('@slotbook/client')` is the client class, carrying every export.
import * as types from './client';

declare class Slotbook extends types.Slotbook {}
declare namespace Slotbook {
  export import Slotbook = types.Slotbook;
  export import SlotbookClient = types.SlotbookClient;
  export import MoncreneauClient = types.MoncreneauClient;
  export import Moncreneau = types.Moncreneau;
  export import RetryPolicy = types.RetryPolicy;
  export import DEFAULT_BASE_URL = types.DEFAULT_BASE_URL;
  export import SlotbookError = types.SlotbookError;
  export import ValidationError = types.ValidationError;
  export import AuthenticationError = types.AuthenticationError;
  export import InsufficientCreditsError = types.InsufficientCreditsError;
  export import PermissionDeniedError = types.PermissionDeniedError;
  export import NotFoundError = types.NotFoundError;
  export import ConflictError = types.ConflictError;
  export import PreconditionFailedError = types.PreconditionFailedError;
  export import BookingRuleError = types.BookingRuleError;
  export import RateLimitError = types.RateLimitError;
  export import ServerError = types.ServerError;
  export import APIConnectionError = types.APIConnectionError;
  export import WebhookVerificationError = types.WebhookVerificationError;
  export import verifyWebhook = types.verifyWebhook;
  export import signWebhook = types.signWebhook;
  export import Appointments = types.Appointments;
  export import Availability = types.Availability;
  export import Departments = types.Departments;
  export import Credits = types.Credits;
  export type ApiObject = types.ApiObject;
  export type Organization = types.Organization;
  export type Department = types.Department;
  export type Appointment = types.Appointment;
  export type AppointmentStatus = types.AppointmentStatus;
  export type AppointmentPage = types.AppointmentPage;
  export type Slot = types.Slot;
  export type SlotList = types.SlotList;
  export type CreditStatement = types.CreditStatement;
  export type CreateAppointment = types.CreateAppointment;
  export type AppointmentFilters = types.AppointmentFilters;
  export type AppointmentChanges = types.AppointmentChanges;
  export type CancelOptions = types.CancelOptions;
  export type WriteOptions = types.WriteOptions;
  export type ClientOptions = types.ClientOptions;
  export type DateLike = types.DateLike;
  export type Version = types.Version;
}
export = Slotbook;
